#!/bin/bash
# --top, driven as a person would: in tmux (send-keys, capture-pane).
# Known traffic (st-live's summary_textbook: a server on port 12000 and 4
# clients, from 127.0.0.1, .2, .3 and .3), then the screen must show the
# server with 4 accepts from 3 peers (accepted peers are hosts) and each
# client with 1 connect; Ctrl-C must give the terminal back.
#   tests/top.sh ./socktrace .output/st-live
set -u
bin=$(realpath "${1:-./socktrace}")
live=$(realpath "${2:-.output/st-live}")
session=st-top-$$
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL top: $*"; }
screen() { tmux capture-pane -p -t "$session"; }
cleanup() { tmux kill-session -t "$session" 2>/dev/null; }
trap cleanup EXIT

if ! command -v tmux >/dev/null; then
	echo "FAIL top: tmux is missing (make deps installs it)"
	echo "0 passed, 1 failed"
	exit 1
fi
tmux new-session -d -s "$session" -x 120 -y 40 "bash --norc --noprofile"
tmux send-keys -t "$session" "PS1='ready> '; clear" Enter
sleep 0.3
tmux send-keys -t "$session" "$bin --top" Enter
for _ in $(seq 100); do
	screen | grep -q "^socktrace --top" && break
	sleep 0.1
done
if screen | grep -q "^socktrace --top  backend "; then ok; else bad "no top header: $(screen | head -3)"; fi
if [ "$(tmux display -p -t "$session" '#{alternate_on}')" = 1 ]; then ok; else
	bad "not on the alternate screen"; fi

actors=$("$live" --traffic summary_textbook | grep '^actor ')
sleep 2.5	# two refreshes
shot=$(screen)
# PID COMM EV/s CONNECTS ACCEPTS FAILS UDP PEERS TX RX TX+RX/s
while read -r _ pid comm; do
	row=$(echo "$shot" | awk -v p="$pid" '$1 == p')
	if [ -z "$row" ]; then
		bad "no row for $comm pid $pid"
		continue
	fi
	set -- $row
	if [ "$comm" = st-server ]; then
		want="st-server 0 4 0 0 3"
	else
		want="st-client 1 0 0 0 1"
	fi
	got="$2 $4 $5 $6 $7 $8"
	if [ "$got" = "$want" ]; then ok; else bad "$comm row: want '$want', got '$got' in: $row"; fi
done <<<"$actors"
if echo "$shot" | grep -qE "^127\.0\.0\.1:12000 +4 4$"; then ok; else
	bad "no busiest peer 127.0.0.1:12000 with 4 sockets of 4 processes: $(echo "$shot" | tail -8)"; fi
if echo "$shot" | grep -qE "^127\.0\.0\.3:\* +2 1$"; then ok; else
	bad "no peer 127.0.0.3:* (accepted from, any port) with 2 sockets: $(echo "$shot" | tail -8)"; fi

# a narrow terminal: lines are cut to its width
tmux resize-window -t "$session" -x 60 -y 30 2>/dev/null || tmux resize-pane -t "$session" -x 60
sleep 1.5
if [ "$(screen | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')" -le 60 ]; then ok
else bad "lines wider than 60 columns"; fi

tmux send-keys -t "$session" C-c
# back on the normal screen, with the shell's prompt after socktrace's last words
for _ in $(seq 50); do
	[ "$(tmux display -p -t "$session" '#{alternate_on}')" = 0 ] &&
		[ "$(screen | grep -v '^$' | tail -n 1)" = "ready>" ] && break
	sleep 0.1
done
if [ "$(tmux display -p -t "$session" '#{alternate_on}')" = 0 ] &&
   [ "$(screen | grep -v '^$' | tail -n 1)" = "ready>" ]; then
	ok
else
	bad "the terminal was not given back after Ctrl-C (alternate_on=$(tmux display -p -t "$session" '#{alternate_on}')): $(screen | head -5)"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

#!/bin/bash
# --top, driven as a person would: in tmux (send-keys, capture-pane).
# 1. Known traffic (st-live's summary_textbook: a server on port 12000 and 4
#    clients, from 127.0.0.1, .2, .3 and .3): the server's row has 4 accepts
#    from 3 peers (accepted peers are hosts), each client's 1 connect.
# 2. The keys, on tests/top_traffic.py's actors (st-top-srv, -cli, -fail,
#    -bytes, each first by another sort key): every sort key gives its row
#    order; / keeps only the names that match (Esc cancels a typed filter);
#    Enter on the selected row shows st-top-cli's 4 held connections, their
#    5-tuples exactly, and its busiest peer (the server, 4 sockets); p pauses (the screen stays while new traffic runs, and
#    shows it once resumed); h shows the help; q gives the terminal back.
# 3. Every way out gives the terminal back: q, Ctrl-C, SIGTERM, the output's
#    terminal gone (the main screen, the shell's prompt, and stty's icanon and
#    echo on again).
#   tests/top.sh ./socktrace .output/st-live
set -u
bin=$(realpath "${1:-./socktrace}")
live=$(realpath "${2:-.output/st-live}")
traffic=$(realpath "$(dirname "$0")/top_traffic.py")
session=st-top-$$
tmp=$(mktemp -d)
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL top: $*"; }
screen() { tmux capture-pane -p -t "$session"; }
cleanup() {
	exec 3>&- 2>/dev/null
	tmux kill-session -t "$session" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

if ! command -v tmux >/dev/null || ! command -v python3 >/dev/null; then
	echo "FAIL top: tmux or python3 is missing (make deps installs them)"
	echo "0 passed, 1 failed"
	exit 1
fi

# until the screen matches (grep -E), for at most 5 s
wait_for() {
	for _ in $(seq 50); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

# the COMM column of the process rows, in order, one line
comms() { screen | awk '$1 ~ /^[0-9]+$/ && NF >= 12 { printf "%s ", $2 }'; }

# until the rows' names begin with $2 (in this order), after key $1
sorted() {
	local key=$1 want=$2
	tmux send-keys -t "$session" "$key"
	for _ in $(seq 50); do
		case "$(comms)" in "$want"*) ok; return ;; esac
		sleep 0.1
	done
	bad "key $key: rows want '$want...', got '$(comms)'"
}

# the terminal as socktrace found it: the main screen, the prompt, a sane stty
given_back() {
	local how=$1
	for _ in $(seq 50); do
		[ "$(tmux display -p -t "$session" '#{alternate_on}')" = 0 ] &&
			[ "$(screen | grep -v '^$' | tail -n 1)" = "ready>" ] && break
		sleep 0.1
	done
	if [ "$(tmux display -p -t "$session" '#{alternate_on}')" = 0 ] &&
	   [ "$(screen | grep -v '^$' | tail -n 1)" = "ready>" ]; then
		ok
	else
		bad "the terminal was not given back after $how (alternate_on=$(tmux display -p -t "$session" '#{alternate_on}')): $(screen | grep -v '^$' | tail -3)"
	fi
	tmux send-keys -t "$session" "clear; stty -a > $tmp/stty" Enter
	for _ in $(seq 50); do [ -s "$tmp/stty" ] && break; sleep 0.1; done
	if tr ' ;' '\n\n' < "$tmp/stty" | grep -qx icanon &&
	   tr ' ;' '\n\n' < "$tmp/stty" | grep -qx echo; then ok; else
		bad "after $how the terminal is still raw: $(tr ' ;' '\n\n' < "$tmp/stty" | grep -E 'icanon|^-?echo$' | tr '\n' ' ')"
	fi
	rm -f "$tmp/stty"
	tmux send-keys -t "$session" clear Enter
	sleep 0.2
}

start_top() {
	tmux send-keys -t "$session" "$bin --top" Enter
	wait_for "^socktrace --top  backend " || bad "no top header: $(screen | head -3)"
}

tmux new-session -d -s "$session" -x 120 -y 40 "bash --norc --noprofile"
tmux send-keys -t "$session" "PS1='ready> '; clear" Enter
sleep 0.3
start_top
if [ "$(tmux display -p -t "$session" '#{alternate_on}')" = 1 ]; then ok; else
	bad "not on the alternate screen"; fi

actors=$("$live" --traffic summary_textbook | grep '^actor ')
sleep 2.5	# two refreshes
shot=$(screen)
# PID COMM EV/s CONNECTS ACCEPTS FAILS OPEN UDP PEERS TX RX TX+RX/s
while read -r _ pid comm; do
	row=$(echo "$shot" | awk -v p="$pid" '$1 == p')
	if [ -z "$row" ]; then
		bad "no row for $comm pid $pid"
		continue
	fi
	set -- $row
	if [ "$comm" = st-server ]; then
		want="st-server 0 4 0 0 0 3"
	else
		want="st-client 1 0 0 0 0 1"
	fi
	got="$2 $4 $5 $6 $7 $8 $9"
	if [ "$got" = "$want" ]; then ok; else bad "$comm row: want '$want', got '$got' in: $row"; fi
done <<<"$actors"
if echo "$shot" | grep -qE "^127\.0\.0\.1:12000 +4 4$"; then ok; else
	bad "no busiest peer 127.0.0.1:12000 with 4 sockets of 4 processes: $(echo "$shot" | tail -8)"; fi
if echo "$shot" | grep -qE "^127\.0\.0\.3:\* +2 1$"; then ok; else
	bad "no peer 127.0.0.3:* (accepted from, any port) with 2 sockets: $(echo "$shot" | tail -8)"; fi

# the keys, on actors whose numbers differ (tests/top_traffic.py)
mkfifo "$tmp/hold"
python3 "$traffic" < "$tmp/hold" > "$tmp/traffic" &
exec 3> "$tmp/hold"	# st-top-cli holds its connections until this closes
for _ in $(seq 100); do [ "$(grep -c '^held ' "$tmp/traffic")" = 4 ] && break; sleep 0.1; done
if [ "$(grep -c '^held ' "$tmp/traffic")" = 4 ]; then ok; else bad "the actors did not start: $(cat "$tmp/traffic")"; fi
tmux send-keys -t "$session" / s t - t o p - Enter
wait_for "filter: st-top-" || bad "no filter in the header: $(screen | head -1)"
for _ in $(seq 30); do [ "$(comms | wc -w)" = 4 ] && break; sleep 0.1; done
if [ "$(comms | tr ' ' '\n' | sort | tr '\n' ' ')" = "st-top-bytes st-top-cli st-top-fail st-top-srv " ]; then ok
else bad "filter st-top-: want the 4 actors, got '$(comms)'"; fi

# connects 6 4 1 0; accepts 4 1; fails 6; open 4; bytes 512K each way; events 12 8
sorted c "st-top-fail st-top-cli st-top-bytes st-top-srv "
sorted a "st-top-srv st-top-bytes "
sorted f "st-top-fail "
sorted b "st-top-bytes "
sorted e "st-top-fail st-top-srv "
sorted o "st-top-cli "
row=$(screen | awk '$2 == "st-top-cli"')
set -- $row
if [ "${4:-} ${5:-} ${6:-} ${7:-}" = "4 0 0 4" ]; then ok; else bad "st-top-cli's row: want 4 connects, 4 open: $row"; fi

# a typed filter that Esc cancels leaves the last one; another keeps only its match
tmux send-keys -t "$session" / z z z Escape
sleep 0.3
if [ "$(comms | wc -w)" = 4 ] && screen | head -1 | grep -q "filter: st-top-$"; then ok
else bad "Esc did not cancel the typed filter: $(screen | head -1); rows $(comms)"; fi
tmux send-keys -t "$session" / f a i Enter
wait_for "filter: st-top-fai$" || true
for _ in $(seq 30); do [ "$(comms)" = "st-top-fail " ] && break; sleep 0.1; done
if [ "$(comms)" = "st-top-fail " ]; then ok; else bad "filter st-top-fai: got rows '$(comms)'"; fi
tmux send-keys -t "$session" / BSpace BSpace BSpace Enter
wait_for "filter: st-top-$" || bad "the filter was not edited back: $(screen | head -1)"

# Enter on the selected row (sorted by open: st-top-cli first, Down then Up)
tmux send-keys -t "$session" Down Up Enter
cli=$(echo "$row" | awk '{ print $1 }')
if wait_for "^PID $cli  st-top-cli  open 4 \(existing 0\)"; then ok; else
	bad "Enter: no connections of st-top-cli (pid $cli): $(screen | head -3)"; fi
shot=$(screen)
while read -r _ lport rport; do
	if echo "$shot" | grep -qE "^connect +127\.0\.0\.1:$lport +127\.0\.0\.1:$rport +- +[0-9.]+s"; then ok
	else bad "st-top-cli's connection $lport -> $rport is not shown: $(echo "$shot" | head -12)"; fi
done < <(grep '^held ' "$tmp/traffic")
# its busiest remote endpoints: the server's port, its 4 sockets
port=$(awk '/^held / { print $3; exit }' "$tmp/traffic")
if echo "$shot" | grep -qE "^busiest peers 4@127\.0\.0\.1:$port\$"; then ok
else bad "st-top-cli's busiest peers are not 4@127.0.0.1:$port: $(echo "$shot" | head -4)"; fi
tmux send-keys -t "$session" Escape
wait_for "^PID +COMM +EV/s" || bad "Esc did not go back to the list: $(screen | head -3)"

# p: the screen stays while traffic runs; p again shows that traffic
tmux send-keys -t "$session" p
wait_for "\[paused\]" || bad "no [paused] in the header: $(screen | head -1)"
before=$(screen)
python3 "$traffic" late st-top-late
sleep 2.5	# two refreshes would have come
if [ "$(screen)" = "$before" ]; then ok; else bad "the screen changed while paused"; fi
tmux send-keys -t "$session" p
if wait_for " st-top-late "; then ok; else bad "after p again, no st-top-late row: $(comms)"; fi

# h: the help, and any key back
tmux send-keys -t "$session" h
if wait_for "^socktrace --top: the keys"; then ok; else bad "h shows no help: $(screen | head -3)"; fi
tmux send-keys -t "$session" x
wait_for "^PID +COMM +EV/s" || bad "a key did not leave the help"
exec 3>&-	# st-top-cli closes its connections and exits
wait

# a narrow terminal: lines are cut to its width
tmux resize-window -t "$session" -x 60 -y 30 2>/dev/null || tmux resize-pane -t "$session" -x 60
sleep 1.5
if [ "$(screen | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')" -le 60 ]; then ok
else bad "lines wider than 60 columns"; fi

tmux send-keys -t "$session" q
given_back q
tmux resize-window -t "$session" -x 120 -y 40 2>/dev/null || tmux resize-pane -t "$session" -x 120
start_top
tmux send-keys -t "$session" C-c
given_back Ctrl-C
start_top
pid=$(pgrep -P "$(tmux display -p -t "$session" '#{pane_pid}')" -x socktrace)
kill -TERM "$pid"
given_back SIGTERM
# the screen on another terminal, which goes away: writing fails, socktrace
# stops and gives back the terminal its keys came from
tmux split-window -d -t "$session" "sleep 600"
other=$(tmux display -p -t "$session:0.1" '#{pane_tty}')
tmux send-keys -t "$session:0.0" "$bin --top > $other; echo exit=\$?" Enter
for _ in $(seq 50); do
	tmux capture-pane -p -t "$session:0.1" | grep -q "^socktrace --top  backend " && break
	sleep 0.1
done
if tmux capture-pane -p -t "$session:0.1" | grep -q "^socktrace --top  backend "; then ok; else
	bad "no top on the other terminal: $(tmux capture-pane -p -t "$session:0.1" | head -2)"; fi
tmux kill-pane -t "$session:0.1"
for _ in $(seq 50); do screen | grep -q "^exit=" && break; sleep 0.1; done
if screen | grep -q "^exit=0$"; then ok; else bad "socktrace did not stop when its terminal went away: $(screen | grep -v '^$' | tail -3)"; fi
tmux send-keys -t "$session" clear Enter
sleep 0.2
given_back "the output terminal gone"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

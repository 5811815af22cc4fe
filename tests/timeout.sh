#!/bin/bash
# st-live's time limits: a scenario made to hang (--hang) is killed at its
# limit with its socktrace and actors, reported by name with what it printed,
# and the next scenario still runs and passes; --calibrate, --budget and
# --slowdown say what they should.
#   tests/timeout.sh ./socktrace .output/st-live
set -u
bin=$(realpath "${1:-./socktrace}")
live=$(realpath "${2:-.output/st-live}")
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); }
# the socktrace processes of this binary
ours() { for p in $(pgrep -x socktrace); do [ "$(readlink "/proc/$p/exe")" = "$bin" ] && echo "$p"; done | sort; }
bad() { failed=$((failed + 1)); echo "FAIL timeout: $*"; }

# the kill path, end to end
before=$(ours)
timeout 60 "$live" --socktrace "$bin" --only tcp4_textbook,tcp_refused --hang tcp4_textbook \
	--retries 0 >"$tmp/out" 2>&1
rc=$?
failed_before=$failed
if [ "$rc" = 1 ]; then ok; else bad "st-live exited $rc, expected 1"; fi
if grep -qE '^FAIL tcp4_textbook: timeout after [0-9.]+ s \(limit [0-9]+ s\)$' "$tmp/out"; then ok
else bad "no 'FAIL tcp4_textbook: timeout after N s (limit M s)' line"; fi
if grep -qx 'PASS tcp_refused' "$tmp/out"; then ok; else bad "the other scenario did not pass"; fi
if grep -qx '1 passed, 1 failed' "$tmp/out"; then ok; else bad "no '1 passed, 1 failed' line"; fi
if grep -q '^  | socktrace: tracing with the ' "$tmp/out"; then ok
else bad "socktrace's stderr was not shown"; fi
group=$(sed -n 's/^  | killed process group \([0-9]*\) .*/\1/p' "$tmp/out")
netns=$(sed -n 's/^  | killed process group [0-9]* (network namespace \([0-9]*\))$/\1/p' "$tmp/out")
if [ -n "$group" ] && ! pgrep -g "$group" >/dev/null; then ok
else bad "process group '$group' is not gone: $(pgrep -a -g "${group:-0}")"; fi
left=$(comm -13 <(echo "$before") <(ours))
if [ -z "$left" ]; then ok; else bad "socktrace left behind: $left"; fi
inside=""
if [ -n "$netns" ]; then
	for ns in /proc/[0-9]*/ns/net; do
		[ "$(stat -L -c %i "$ns" 2>/dev/null)" = "$netns" ] && inside="$inside ${ns%/ns/net}"
	done
fi
if [ -n "$netns" ] && [ -z "$inside" ]; then ok
else bad "network namespace '$netns' is not gone:$inside"; fi
[ "$failed" = "$failed_before" ] || sed 's/^/    /' "$tmp/out"

# the options that size the limits
if "$live" --calibrate | grep -qxE 'calibrate [0-9]+'; then ok; else bad "--calibrate"; fi
b1=$("$live" --only tcp4_textbook --retries 0 --budget | sed -n 's/^budget \([0-9]*\)$/\1/p')
b2=$("$live" --only tcp4_textbook --retries 1 --slowdown 2 --budget | sed -n 's/^budget \([0-9]*\)$/\1/p')
if [ -n "$b1" ] && [ -n "$b2" ] && [ "$b2" -gt $((2 * b1)) ]; then ok
else bad "--budget: '$b1' with no retry, '$b2' with one retry and --slowdown 2"; fi
if "$live" --reference-ns 1 --only tcp4_textbook --budget | grep -qxE 'budget [0-9]+'; then ok
else bad "--reference-ns with --budget"; fi
if "$live" --slowdown 0.5 --budget >/dev/null 2>&1; [ $? = 2 ]; then ok
else bad "--slowdown 0.5 must be refused (exit 2)"; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

#!/bin/bash
# Two socktraces at once don't disturb each other. In a mount namespace of the
# test's own with no tracefs (a fresh boot's state), two tracepoint-backend
# socktraces each mount tracefs in a namespace of their own: started together,
# stopped in both orders, each sees every event of known traffic (st-live's
# tcp4_textbook: 3 connects and 3 accepts on port 12000, once before the first
# stops and once after), and the test's namespace's mounts (its "host") are the
# same before, while they run, and after.
#   tests/concurrent.sh ./socktrace .output/st-live
set -u
bin=$(realpath "${1:-./socktrace}")
live=$(realpath "${2:-.output/st-live}")
if [ -z "${ST_CONCURRENT_NS:-}" ]; then
	exec unshare -m --propagation private env ST_CONCURRENT_NS=1 "$0" "$@"
fi
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL concurrent: $*"; }
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT

umount /sys/kernel/tracing 2>/dev/null
umount /sys/kernel/debug 2>/dev/null
grep -q ' tracefs ' /proc/self/mounts && bad "tracefs is still mounted in the test's namespace"

attached() {	# at most 20 s
	for _ in $(seq 200); do
		grep -q "socktrace: tracing with" "$1" && return 0
		sleep 0.1
	done
	return 1
}
stop() {	# SIGINT, then at most 20 s
	kill -INT "$1"
	for _ in $(seq 200); do
		kill -0 "$1" 2>/dev/null || { wait "$1"; return; }
		sleep 0.1
	done
	kill -9 "$1"
	return 1
}
traffic() { "$live" --traffic tcp4_textbook >"$tmp/traffic" 2>&1 || bad "traffic: $(tail -2 "$tmp/traffic")"; }
# "connects accepts" in one socktrace's output
counts() {
	echo "$(grep -c '"event":"connect"' "$1") $(grep -c '"event":"accept"' "$1")"
}

for order in AB BA; do
	before=$(cat /proc/self/mountinfo)
	for t in A B; do
		"$bin" -b tracepoint -j -t -P 12000 -e connect,accept >"$tmp/$t.out" 2>"$tmp/$t.err" &
		eval "pid_$t=$!"
		attached "$tmp/$t.err" || bad "$order: socktrace $t did not attach: $(cat "$tmp/$t.err")"
	done
	[ "$(cat /proc/self/mountinfo)" = "$before" ] && ok ||
		bad "$order: the mounts changed while two socktraces run"
	traffic
	first=${order:0:1} second=${order:1:1}
	eval "stop \$pid_$first" && ok || bad "$order: socktrace $first did not stop"
	traffic
	eval "stop \$pid_$second" && ok || bad "$order: socktrace $second did not stop"
	[ "$(counts "$tmp/$first.out")" = "3 3" ] && ok ||
		bad "$order: the first to stop saw $(counts "$tmp/$first.out") (connects accepts), expected 3 3"
	[ "$(counts "$tmp/$second.out")" = "6 6" ] && ok ||
		bad "$order: the second saw $(counts "$tmp/$second.out") (connects accepts), expected 6 6"
	[ "$(cat /proc/self/mountinfo)" = "$before" ] && ok ||
		bad "$order: the mounts are not as before: $(diff <(echo "$before") /proc/self/mountinfo)"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

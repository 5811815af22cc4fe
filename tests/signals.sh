#!/bin/bash
# socktrace stopped in the middle of a storm, by SIGINT, SIGTERM or SIGKILL,
# must leave nothing behind: no BPF program, link or map of its own (checked
# with bpftool), nothing pinned, no tracefs mount of its own. And while it is
# attached with a full ring buffer and a stalled consumer, traffic must go on.
#   tests/signals.sh ./socktrace .output/st-live
set -u
bin=$(realpath "${1:-./socktrace}")
live=$(realpath "${2:-.output/st-live}")
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL signals: $*"; }
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT

# the ids of programs and maps that have socktrace's names (program names are
# cut to 15 bytes); what an instance leaves behind is what was not there before
ours() {
	{
		bpftool -j prog show
		bpftool -j map show
	} 2>/dev/null | sed 's/},{/}\n{/g' | grep -E '"name":"((fe_|kp_|fk_|tp_|probe_)[a-z0-9_]*|events|udp_flows|proc_stats|tcp_owners|peers|listens|udp_calls|cpu_scratch|state_notes|state_work|socktrac[a-z.]*|probe_bp[a-z.]*)"' |
		grep -oE '^\{"id":[0-9]+' | sort
}
new_ids() { comm -13 <(echo "$1") <(ours); }

# what is still there of a stopped instance: the kernel frees a dead process's objects
# shortly after its descriptors close (waits at most 5 s)
left_behind() {
	local left=""
	for _ in $(seq 50); do
		left=$(new_ids "$1")
		[ -z "$left" ] && break
		sleep 0.1
	done
	echo "$left"
}

storm() {	# bounded: at most 30 rounds of 400 connects
	for _ in $(seq 30); do "$live" --traffic overload >/dev/null 2>&1 || break; done
}

# wait at most 20 s for a process to end (then kill it)
stopped() {
	for _ in $(seq 200); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$1"
	return 1
}

# wait until socktrace has attached (its stderr says so), at most 20 s
attached() {
	for _ in $(seq 200); do
		grep -q "socktrace: tracing with" "$1" && return 0
		sleep 0.1
	done
	return 1
}

for sig in INT TERM KILL; do
	before=$(ours)
	rm -f "$tmp/out" "$tmp/err"
	"$bin" -j --buffer-size 64K >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	if ! attached "$tmp/err"; then
		bad "SIG$sig: socktrace did not attach: $(cat "$tmp/err")"
		kill -9 $pid 2>/dev/null
		continue
	fi
	if [ -z "$(new_ids "$before")" ]; then
		bad "SIG$sig: bpftool does not see socktrace's programs: $(echo $before) / $(ours | tr '\n' ' ')"
	fi
	storm &
	spid=$!
	sleep 1
	kill -"$sig" $pid
	stopped $pid || bad "SIG$sig: socktrace still runs 20 s later"
	wait $pid
	rc=$?
	kill $spid 2>/dev/null
	wait $spid 2>/dev/null
	case $sig in
	KILL) want=137 ;;
	*) want=0 ;;
	esac
	[ "$rc" = "$want" ] && ok || bad "SIG$sig: exit status $rc, expected $want"
	left=$(left_behind "$before")
	if [ -z "$left" ]; then ok; else
		bad "SIG$sig: left behind: $(echo $left)"
	fi
done

# nothing pinned anywhere in bpffs
pinned=$(grep -E ' bpf ' /proc/mounts | awk '{print $2}' | while read -r d; do
	find "$d" -maxdepth 3 2>/dev/null | grep -iE 'socktrace|events|udp_flows|proc_stats' ; done)
[ -z "$pinned" ] && ok || bad "pinned objects: $pinned"

# a tracefs socktrace mounted itself is in its own mount namespace: never seen in the
# namespace it was started from (here a private one, without tracefs)
mounts=$(unshare -m sh -c "umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug 2>/dev/null;
	grep -c ' tracefs ' /proc/self/mounts; $bin -b tracepoint -d 1 >/dev/null 2>&1; echo rc=\$?;
	grep -c ' tracefs ' /proc/self/mounts")
if [ "$(echo $mounts)" = "0 rc=0 0" ]; then ok; else
	bad "tracefs: before, exit status, after: $(echo $mounts) (expected 0 rc=0 0)"
fi

# a closed output is an end, also when no event comes (port 1 sees none): the reader of
# socktrace's pipe leaves once socktrace has attached; socktrace exits with status 0 and
# its usual exit report, and leaves nothing attached
for mode in -j -H -s; do
	before=$(ours)
	rm -f "$tmp/fifo" "$tmp/err"
	mkfifo "$tmp/fifo"
	"$bin" $mode -P 1 >"$tmp/fifo" 2>"$tmp/err" &
	pid=$!
	(attached "$tmp/err") <"$tmp/fifo"
	stopped $pid || bad "closed output ($mode): socktrace still runs 20 s after its reader left"
	wait $pid
	rc=$?
	[ "$rc" = 0 ] && ok || bad "closed output ($mode): exit status $rc, expected 0: $(cat "$tmp/err")"
	# the usual start line and, for a stream, the usual exit report (and the snapshot's
	# count of the sockets that existed at start); nothing else
	got=$(sed -E -e 's/^socktrace: tracing with the [a-z]+ backend, Ctrl-C to stop$/START/' \
		-e 's/^socktrace: [0-9]+ events, 0 dropped$/REPORT/' \
		-e '/^socktrace: existing(:|, held by no process)/d' "$tmp/err" | tr '\n' ' ')
	case $mode in -s) want="START " ;; *) want="START REPORT " ;; esac
	[ "$got" = "$want" ] && ok ||
		bad "closed output ($mode): stderr is not the usual start and exit report: $(cat "$tmp/err")"
	left=$(left_behind "$before")
	[ -z "$left" ] && ok || bad "closed output ($mode): left behind: $(echo $left)"
done

# never in the way: a stalled consumer and a full 4K ring buffer; traffic still works
rm -f "$tmp/out" "$tmp/err"
"$bin" -j --buffer-size 4K >"$tmp/out" 2>"$tmp/err" &
pid=$!
if attached "$tmp/err"; then
	kill -STOP $pid
	for s in tcp_bytes6 tcp4_textbook udp_unconnected udp6 overload; do
		if "$live" --traffic "$s" >"$tmp/traffic" 2>&1; then ok; else
			bad "traffic '$s' failed while socktrace was attached: $(tail -3 "$tmp/traffic")"
		fi
	done
	kill -CONT $pid
	sleep 0.5
	kill -INT $pid
	stopped $pid || bad "socktrace did not stop on SIGINT after SIGCONT"
	if grep -qE "^socktrace: [0-9]+ events, [1-9][0-9]* dropped$" "$tmp/err"; then ok; else
		bad "the full ring buffer did not show in the dropped count: $(tail -2 "$tmp/err")"
	fi
else
	bad "socktrace did not attach: $(cat "$tmp/err")"
	kill -9 $pid 2>/dev/null
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash disable=SC2034 # its globals are read by the other parts
#
# bench/lib/machine.sh: readings of the machine and of its processes (clock,
# CPU, memory, BPF attachments). Sourced by bench/run (reads BPFTOOL and
# HAVE_BPFTOOL); sources nothing.

now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# stderr lines, each prefixed with the time it arrived (µs since the epoch)
ts_lines() {
	local l t
	while IFS= read -r l; do
		t=$EPOCHREALTIME
		printf '%s %s\n' "${t/./}" "$l"
	done
}

cpu_ticks() {	# utime+stime of a live process, in clock ticks
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	# shellcheck disable=SC2086
	set -- $s
	echo $(( ${12} + ${13} ))
}

# busy and all jiffies of the machine (all CPUs), from /proc/stat
cpu_jiffies() { awk '/^cpu / {t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t; exit}' /proc/stat; }

hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

file_size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# number of perf-event BPF attachments (tracepoints) a process holds
bt_attached() { "$BPFTOOL" perf show 2>/dev/null | grep -c "^pid $1 "; }

# BPF programs that others keep attached to tracepoints (another tracer left
# running, say) slow every row: name them
other_tracers() {
	[ "$HAVE_BPFTOOL" = 1 ] || return 0
	"$BPFTOOL" perf show 2>/dev/null | awk '/^pid / {print $2}' | sort -un | while read -r p; do
		printf '%s(%s) ' "$(cat "/proc/$p/comm" 2>/dev/null || echo '?')" "$p"
	done
}

# waits (at most $1 s) until the machine was >= 90% idle over 2 s
wait_idle() {
	local end=$((SECONDS + $1)) a b idle=0
	while :; do
		a=$(cpu_jiffies)
		sleep 2
		b=$(cpu_jiffies)
		idle=$(awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ")
			all = y[2] - x[2]; printf "%d", (all > 0 ? 100 - 100 * (y[1] - x[1]) / all : 100) }')
		[ "$idle" -ge 90 ] && return 0
		[ $SECONDS -ge $end ] && break
	done
	echo "bench/run: the machine is still busy (${idle}% idle) after ${1} s: going on" >&2
}

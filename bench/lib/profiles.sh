# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash disable=SC2034 # its globals are read by the other parts
#
# bench/lib/profiles.sh: the two profiles, apart from the timed rounds.
# profile sets PROFILE_TABLE (or PROFILE_WHY); sampled_profile sets
# SAMPLED_TABLE (or SAMPLED_WHY). Sourced by bench/run after machine.sh
# (reads BPFTOOL, HAVE_BPFTOOL, SOCKTRACE, ST_OK, LOADGEN, N, UDP_N, FLOWS,
# THREADS, TIMEOUT, QUICK, W; sets TRACER_PID and STATS_RESTORE for the
# cleanup); sources nothing.

# Where socktrace's own in-kernel time goes: one more run of each load, apart
# from the timed rounds (the kernel's BPF statistics cost two clock reads per
# program run), with kernel.bpf_stats_enabled on; each program's run time and
# run count from bpftool, per connection and per datagram. A tail-called
# program's time is inside its caller's.
# "id name run_time_ns run_cnt" of every loaded program (bpftool leaves the
# statistics out while a program has not run: 0 then)
prog_stats() {
	"$BPFTOOL" prog show 2>/dev/null | awk '/^[0-9]+: / {
		id = $1; sub(":", "", id); name = ""; t = 0; c = 0
		for (i = 2; i < NF; i++) {
			if ($i == "name") name = $(i + 1)
			if ($i == "run_time_ns") t = $(i + 1)
			if ($i == "run_cnt") c = $(i + 1)
		}
		print id, name, t, c
	}'
}
PROFILE_TABLE="" PROFILE_WHY=""
profile() {
	local before ptp i t0 t1 t2 err=$W/profile.err
	[ "$ST_OK" = 1 ] || { PROFILE_WHY="socktrace does not run here"; return; }
	[ "$HAVE_BPFTOOL" = 1 ] || { PROFILE_WHY="no bpftool"; return; }
	[ -w /proc/sys/kernel/bpf_stats_enabled ] || { PROFILE_WHY="kernel.bpf_stats_enabled can't be set"; return; }
	before=$("$BPFTOOL" prog show 2>/dev/null | awk '/^[0-9]+: / {sub(":", "", $1); print $1}')
	STATS_RESTORE=$(cat /proc/sys/kernel/bpf_stats_enabled)
	echo 1 >/proc/sys/kernel/bpf_stats_enabled
	"$SOCKTRACE" -j >/dev/null 2>"$err" &
	ptp=$!
	TRACER_PID=$ptp
	for ((i = 0; i < 300; i++)); do
		grep -q "socktrace: tracing" "$err" && break
		sleep 0.1
	done
	if grep -q "socktrace: tracing" "$err"; then
		t0=$(prog_stats)
		"$LOADGEN" tcp -n "$N" -t "$THREADS" --timeout "$TIMEOUT" >/dev/null 2>&1
		t1=$(prog_stats)
		"$LOADGEN" udp -n "$UDP_N" -f "$FLOWS" --no-drain --timeout "$TIMEOUT" >/dev/null 2>&1
		t2=$(prog_stats)
	else
		PROFILE_WHY="socktrace did not attach: $(head -1 "$err")"
	fi
	kill -INT "$ptp" 2>/dev/null
	wait "$ptp" 2>/dev/null
	TRACER_PID=""
	echo "$STATS_RESTORE" >/proc/sys/kernel/bpf_stats_enabled
	STATS_RESTORE=""
	[ -n "$PROFILE_WHY" ] && return
	PROFILE_TABLE=$(awk -v n="$N" -v un="$UDP_N" -v before="$before" -v t0="$t0" -v t1="$t1" -v t2="$t2" '
	function load(text, arr,   l, k, i, f) {
		k = split(text, l, "\n")
		for (i = 1; i <= k; i++) { split(l[i], f, " "); arr[f[1], "t"] = f[3]; arr[f[1], "c"] = f[4]; nm[f[1]] = f[2] }
	}
	BEGIN {
		k = split(before, b, "\n"); for (i = 1; i <= k; i++) old[b[i]] = 1
		load(t0, A); load(t1, B); load(t2, C)
		for (id in nm) {
			if (id in old || !((id, "t") in A) || !((id, "t") in C)) continue
			if (nm[id] ~ /^probe_/) continue	# the start-up probe, if still listed
			ct = B[id, "c"] - A[id, "c"]; tt = B[id, "t"] - A[id, "t"]
			cu = C[id, "c"] - B[id, "c"]; tu = C[id, "t"] - B[id, "t"]
			sum_t += tt; sum_u += tu
			if (!ct && !cu && !tt && !tu) {	# reached by tail call only
				printf "| %s | (tail call: in its caller'"'"'s time) | | | | | |\n", nm[id]
				continue
			}
			printf "| %s | %.2f | %s | %.0f | %.3f | %s | %.0f |\n", nm[id], ct / n, ct ? sprintf("%.0f", tt / ct) : "-", tt / n,
				cu / un, cu ? sprintf("%.0f", tu / cu) : "-", tu / un
		}
		printf "~| all of socktrace'"'"'s programs | | | **%.0f** | | | **%.0f** |\n", sum_t / n, sum_u / un
	}' | sort | sed 's/^~//')
	PROFILE_TABLE=$(printf '%s\n%s\n%s' \
		"| program | runs per connection | ns per run | ns per connection | runs per datagram | ns per run | ns per datagram |" \
		"|---|---:|---:|---:|---:|---:|---:|" "$PROFILE_TABLE")
}

# Where the whole machine's time goes, by kind of kernel work (bench/profile:
# perf's cpu-clock sampling, one untraced and one traced storm). Full runs
# only: the smoke run is about running, not about where the time goes.
SAMPLED_TABLE="" SAMPLED_WHY=""
sampled_profile() {
	if [ "$QUICK" = 1 ]; then
		SAMPLED_WHY="left out of --quick runs"
	elif [ "$ST_OK" != 1 ]; then
		SAMPLED_WHY="socktrace does not run here"
	elif ! command -v perf >/dev/null; then
		SAMPLED_WHY="perf is missing"
	elif ! SAMPLED_TABLE=$(bench/profile --n "$N" --threads "$THREADS" --timeout "$TIMEOUT" \
			--socktrace "$SOCKTRACE" --loadgen "$LOADGEN" 2>"$W/sampled.err"); then
		SAMPLED_WHY="bench/profile failed: $(tail -n 1 "$W/sampled.err")"
		SAMPLED_TABLE=""
	fi
}

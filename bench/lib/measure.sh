# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash disable=SC2034 # its globals are read by the other parts
#
# bench/lib/measure.sh: one run of one configuration: start the tracer, wait
# for it to attach, run the load, wait for the tracer to catch up, stop it,
# and append one line to $RUNS (and one to $W/failures.tsv for what failed).
# Sourced by bench/run after configs.sh, machine.sh and events.sh (reads W,
# RUNS, LOADGEN, N, UDP_N, FLOWS, THREADS, TIMEOUT, CLK_TCK, HAVE_BPFTOOL,
# the CFG_* table; sets TRACER_PID, TRACER_JOB, LOAD_PID for the cleanup,
# FAILS; the web loads are web.sh's web_load); sources nothing.

FAILS=0
failed() {	# round id why
	echo "bench/run: round $1, $2: FAILED: $3" >&2
	printf '%s\t%s\tFAILED\t%s\n' "$1" "$2" "$3" >>"$W/failures.tsv"
	FAILS=$((FAILS + 1))
}

runs_header() {
	printf 'round\tid\tkind\tops\tsecs\trate\tload_us\ttracer_us\tstart_ms\tattach_ms\thwm_kb\treceived\texpected\tdropped\ttotal_events\tothers_pct\tunseen\tp99_us\tloadavg\terrors\n' >"$RUNS"
}

# Sets the L_* variables from the loadgen line.
run_load() {	# kind
	local line kv rc
	L_ops="" L_secs="" L_rate="" L_user="" L_sys="" L_pid="" L_early=1 L_line=""
	L_p99=- L_errs=-
	case $1 in tcp|udp) ;; *) web_load "$1"; return ;; esac
	# in the background, so that a signal to bench/run is acted on at once
	if [ "$1" = tcp ]; then
		"$LOADGEN" tcp -n "$N" -t "$THREADS" --timeout "$TIMEOUT" >"$W/load.out" 2>>"$W/loadgen.err" &
	else
		"$LOADGEN" udp -n "$UDP_N" -f "$FLOWS" --no-drain --timeout "$TIMEOUT" >"$W/load.out" 2>>"$W/loadgen.err" &
	fi
	LOAD_PID=$!
	wait "$LOAD_PID"
	rc=$?
	LOAD_PID=""
	line=$(cat "$W/load.out")
	L_line=$line
	for kv in $line; do
		case ${kv%%=*} in
		ops) L_ops=${kv#*=} ;;
		secs) L_secs=${kv#*=} ;;
		rate) L_rate=${kv#*=}; L_rate=${L_rate%/s} ;;
		user_us) L_user=${kv#*=} ;;
		sys_us) L_sys=${kv#*=} ;;
		pid) L_pid=${kv#*=} ;;
		early) L_early=${kv#*=} ;;
		esac
	done
	[ "$rc" = 0 ] && [ "$L_early" = 0 ] && [ -n "$L_ops" ]
}

# Waits until the tracer has caught up: its CPU time and its output file
# have not moved for three polls 100 ms apart (at most 20 s).
quiesce() {	# pid outfile
	local prev=-1 prevsz=-1 c sz stable=0 i
	for ((i = 0; i < 200; i++)); do
		c=$(cpu_ticks "$1") || return 1
		sz=$(file_size "$2")
		if [ "$c" = "$prev" ] && [ "$sz" = "$prevsz" ]; then
			stable=$((stable + 1))
			[ $stable -ge 3 ] && return 0
		else
			stable=0
		fi
		prev=$c prevsz=$sz
		sleep 0.1
	done
	return 0
}

# the tracer's last stderr lines, without the RLIMIT_MEMLOCK noise
tracer_said() {	# err head|tail
	cut -d' ' -f2- "$1" | grep -v RLIMIT_MEMLOCK | "$2" -"$3" | tr '\n' ' '
}

# Starts the tracer of configuration $2 and waits for it to attach. Sets
# TRACER_PID, T_START (µs, just before its exec) and T_ATTACH (µs). Returns 1,
# the failure recorded, when it did not start or attach.
tracer_start() {	# round id out err rcf pidf
	local r=$1 id=$2 out=$3 err=$4 rcf=$5 pidf=$6 tracer tp="" i n nprobes
	local -a cmd
	tracer=${CFG_TRACER[$id]}
	read -r -a cmd <<<"${CFG_CMD[$id]}"
	rm -f "$pidf" "$rcf"
	# start: the moment just before the exec, taken in the subshell that
	# execs (bash's fork and the pipeline are not the tracer's start-up)
	{
		( t=$EPOCHREALTIME; echo "$BASHPID ${t/./}" >"$pidf"; exec "${cmd[@]}" ) 2>&1 >"$out" | ts_lines >"$err"
		echo "${PIPESTATUS[0]}" >"$rcf"
	} &
	TRACER_JOB=$!
	for ((i = 0; i < 500; i++)); do
		[ -s "$pidf" ] && break
		sleep 0.01
	done
	T_START="" T_ATTACH=0
	read -r tp T_START <"$pidf" 2>/dev/null
	[ -n "$tp" ] || { failed "$r" "$id" "tracer did not start"; wait "$TRACER_JOB"; return 1; }
	TRACER_PID=$tp
	nprobes=0
	[ "$tracer" = bt ] && nprobes=$(grep -c '^tracepoint:' "${cmd[1]}")
	# attached: socktrace says "socktrace: tracing ..." on stderr; bpftrace's
	# tracepoints all show in bpftool perf (or, without bpftool, its
	# "Attaching N probes" line, printed just before it attaches)
	for ((i = 0; i < 3000; i++)); do
		if ! kill -0 "$tp" 2>/dev/null; then
			wait "$TRACER_JOB"
			failed "$r" "$id" "tracer exited before attaching: $(tracer_said "$err" head 3)"
			TRACER_PID=
			return 1
		fi
		if [ "$tracer" = st ]; then
			T_ATTACH=$(awk '/socktrace: tracing/ {print $1; exit}' "$err")
		elif [ "$tracer" = fl ]; then
			T_ATTACH=$(awk '/floor: attached/ {print $1; exit}' "$err")
		elif [ "$HAVE_BPFTOOL" = 1 ]; then
			n=$(bt_attached "$tp")
			[ "$n" -ge "$nprobes" ] && T_ATTACH=$(now_us)
		elif grep -q '^Attaching' "$out"; then
			T_ATTACH=$(now_us)
		fi
		[ -n "$T_ATTACH" ] && [ "$T_ATTACH" != 0 ] && break
		T_ATTACH=0
		sleep 0.01
	done
	if [ "$T_ATTACH" = 0 ]; then
		failed "$r" "$id" "tracer did not attach in 30 s"
		kill -INT "$tp"; sleep 2; kill -KILL "$tp" 2>/dev/null
		wait "$TRACER_JOB"; TRACER_PID=
		return 1
	fi
}

# Stops the tracer with SIGINT (again every 5 s: a peer may take one that
# arrives while it sets up as lost; SIGKILL after 20 s) and checks its exit
# status. A SIGINT sent again is said on stderr, not hidden.
tracer_stop() {	# round id err rcf
	local r=$1 id=$2 err=$3 rcf=$4 tp=$TRACER_PID i trc
	kill -INT "$tp" 2>/dev/null
	for ((i = 1; i <= 200; i++)); do
		kill -0 "$tp" 2>/dev/null || break
		if ((i % 50 == 0)) && ((i < 200)); then
			echo "bench/run: round $r, $id: still running $((i / 10)) s after SIGINT: sent SIGINT again" >&2
			kill -INT "$tp" 2>/dev/null
		fi
		sleep 0.1
	done
	if kill -0 "$tp" 2>/dev/null; then
		kill -KILL "$tp" 2>/dev/null
		failed "$r" "$id" "tracer ignored SIGINT for 20 s: killed"
	fi
	wait "$TRACER_JOB"
	TRACER_PID=
	trc=$(cat "$rcf" 2>/dev/null)
	if [ "$trc" != 0 ]; then
		failed "$r" "$id" "tracer exit status ${trc:-?}: $(tracer_said "$err" tail 2)"
	fi
}

run_one() {	# round id
	local r=$1 id=$2 kind tracer parse out err rcf pidf
	kind=${CFG_KIND[$id]} tracer=${CFG_TRACER[$id]} parse=${CFG_PARSE[$id]}
	out=$W/$id.r$r.out err=$W/$id.r$r.err rcf=$W/$id.r$r.rc pidf=$W/$id.r$r.pid
	[ "$parse" = null ] && out=/dev/null
	local tp="" c0=0 c1=0 hwm=0 rc
	local received=- expected=- dropped=- total=- unseen=-

	if [ "$tracer" != none ]; then
		tracer_start "$r" "$id" "$out" "$err" "$rcf" "$pidf" || return
		tp=$TRACER_PID
	fi
	cfg_is_web "$id" && web_warmup "$kind"
	[ -n "$tp" ] && { c0=$(cpu_ticks "$tp") || c0=0; }

	local j0 j1
	j0=$(cpu_jiffies)
	run_load "$kind"
	rc=$?
	j1=$(cpu_jiffies)

	if [ "$tracer" != none ]; then
		quiesce "$tp" "$out"
		c1=$(cpu_ticks "$tp") || c1=$c0
		hwm=$(hwm_kb "$tp")
		tracer_stop "$r" "$id" "$err" "$rcf"
		case $kind/$parse in
		*/none|*/null) ;;	# the floor reports nothing; nor do the web rows count
		udp/udpjson) expected=$FLOWS ;;
		udp/udpcount) expected=$L_ops ;;
		tcp/*) expected=$((2 * ${L_ops:-0})) ;;
		esac
		[ "$expected" = - ] || received=$(count_events "$parse" "$L_pid" "$out")
		[ "$id" = st-pid1 ] && expected=0
		read -r dropped total unseen < <(exit_counts "$tracer" "$err" "$out")
	fi
	if [ "$rc" != 0 ]; then
		failed "$r" "$id" "load did not complete: ${L_line:-no output} $(tail -1 "$W/loadgen.err" 2>/dev/null)"
		return
	fi
	local load_us tracer_us start_ms attach_ms
	load_us=$((L_user + L_sys))
	if [ "$tracer" != none ]; then
		tracer_us=$(( (c1 - c0) * 1000000 / CLK_TCK ))
		start_ms=$(( c0 * 1000 / CLK_TCK ))
		attach_ms=$(awk -v a="$T_ATTACH" -v b="$T_START" 'BEGIN {printf "%.1f", (a - b) / 1000}')
	else
		tracer_us=- start_ms=- attach_ms=- hwm=-
	fi
	# the CPU that others (neither loadgen nor the tracer) used during the
	# load, in % of the machine: the noise under this run
	local others loadavg
	read -r loadavg _ </proc/loadavg
	others=$(awk -v a="$j0" -v b="$j1" -v l="$load_us" -v t="${tracer_us/-/0}" -v hz="$CLK_TCK" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		all = y[2] - x[2]; busy = y[1] - x[1] - (l + t) * hz / 1e6
		if (busy < 0) busy = 0
		printf "%.0f", (all > 0 ? 100 * busy / all : 0) }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$r" "$id" "$kind" "$L_ops" "$L_secs" "$L_rate" "$load_us" "$tracer_us" \
		"$start_ms" "$attach_ms" "${hwm:--}" "$received" "$expected" "$dropped" "$total" "$others" "$unseen" \
		"$L_p99" "$loadavg" "$L_errs" >>"$RUNS"
	if [ "$kind" = bulk ]; then
		printf '  %-16s %6.2f Gbit/s  others %3s%% CPU' "$id" "$(awk -v r="$L_rate" 'BEGIN {print r / 1e9}')" "$others"
	else
		printf '  %-16s %9.0f/s  others %3s%% CPU' "$id" "$L_rate" "$others"
	fi
	[ "$L_p99" != - ] && printf '  p99 %s µs  errors %s' "$L_p99" "$L_errs"
	[ "$tracer" != none ] && printf '  attach %6s ms  events %s/%s  dropped %s' "$attach_ms" "$received" "$expected" "$dropped"
	printf '\n'
}

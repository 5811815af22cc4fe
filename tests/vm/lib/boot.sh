# tests/vm/lib/boot.sh: one VM booted and watched over its budget, and the host row
# shellcheck shell=bash
# Sourced by tests/vm/run, which sets the globals it reads; sources nothing.
# Stops the VM whose qemu (under timeout) is PID once it is over its time:
# BOOT_TIMEOUT until it prints "@@ST BUDGET S silence=Q", then S more
# seconds (and a minute for powering off), and never more than Q (+60)
# without a new line on its console: Q is its longest scenario's limit, and
# st-live prints a line as each scenario ends. Writes why into OVER.
vm_watch() {	# pid rawlog over
	local pid=$1 raw=$2 over=$3 now deadline b seen=0 size last=0 heard quiet=0 why
	deadline=$(($(date +%s) + BOOT_TIMEOUT))
	heard=$(date +%s)
	while kill -0 "$pid" 2>/dev/null; do
		now=$(date +%s)
		size=$(stat -c %s "$raw" 2>/dev/null || echo 0)
		[ "$size" != "$last" ] && { last=$size; heard=$now; }
		if [ $seen = 0 ] && b=$(grep -a -o -m 1 '@@ST BUDGET [0-9]* silence=[0-9]*' "$raw" 2>/dev/null); then
			seen=1
			quiet=${b##*=}
			b=${b#@@ST BUDGET }
			b=${b%% *}
			deadline=$((now + b + 60))
		fi
		why=""
		if [ "$now" -ge "$deadline" ]; then
			why="over its budget"
			[ $seen = 0 ] && why="no budget line within ${BOOT_TIMEOUT}s of its start"
			[ $seen = 1 ] && why="over its budget of ${b}s (+60)"
		elif [ $seen = 1 ] && [ $((now - heard)) -gt $((quiet + 60)) ]; then
			why="silent for $((now - heard))s, longer than its longest scenario's limit (${quiet}s +60)"
		fi
		if [ -n "$why" ]; then
			echo "$why" >"$over"
			kill "$pid" 2>/dev/null
			break
		fi
		sleep 2
	done
}

run_vm() {	# id: boots the kernel, writes <id>.res
	local id=$1 rel=${R_REL[$1]} logf res=$RUN_DIR/$1.res t0 qrc try ev booted over="" quick
	quick=$(row_repeats "$id")
	logf=$LOG_DIR/vm-$id-$rel.log
	t0=$(date +%s)
	local qemu=("${QEMU[@]}") initrd=$RUN_DIR/initrd-$id.cpio console=ttyS0 cpu=max
	if [ "$(row_arch "$id")" = arm64 ]; then	# tests/vm/lib/arm64.sh
		qemu=("${QEMU_ARM64[@]}" -machine virt) console=ttyAMA0
		cpu=$ARM64_CPU
	fi
	for try in 1 2; do
		timeout -k 10 "$VM_TIMEOUT" "${qemu[@]}" -accel tcg -cpu "$cpu" -m "$VM_MEM" -smp "$VM_SMP" \
			-nodefaults -no-user-config -nographic -serial stdio -no-reboot \
			-kernel "${R_VMLINUZ[$id]}" -initrd "$initrd" \
			-append "console=$console panic=-1 loglevel=4$(row_cmdline "$id")${quick:+ st.quick=1}" </dev/null >"$logf.raw" 2>&1 &
		echo $! >"$RUN_DIR/$id.pid"
		vm_watch $! "$logf.raw" "$RUN_DIR/$id.over"
		wait $!
		qrc=$?
		if [ -e "$RUN_DIR/$id.over" ]; then
			qrc=124	# stopped by vm_watch: over its budget
			over=$(cat "$RUN_DIR/$id.over")
			rm -f "$RUN_DIR/$id.over"
		fi
		rm -f "$RUN_DIR/$id.pid"
		tr -d '\r' <"$logf.raw" >"$logf"
		rm -f "$logf.raw"
		# a VM that died before /init printed anything ran none of our
		# code: that is TCG/QEMU trouble, boot it once more.
		if grep -q '@@ST BOOT' "$logf" || [ $try = 2 ] || [ $qrc = 124 ]; then
			break
		fi
		cp "$logf" "$logf.boot-failure"
		log "$id: the VM died before /init ran (qemu rc=$qrc); retrying once (log: $logf.boot-failure)"
	done
	ev=$(eval_vm_log "$logf" "$qrc")
	booted=$(sed -n 's/^booted=//p' <<<"$ev")
	{
		echo "label=$rel (${R_SUITE[$id]}${quick:+; quick: $quick runs all})"
		echo "log=$logf"
		echo "secs=$(($(date +%s) - t0))"
		echo "$ev"
		[ "$try" = 2 ] && echo "note=boot retried once (first log: $logf.boot-failure)"
		if [ -n "$booted" ] && [ "$booted" != "$rel" ]; then
			echo "note=the VM runs $booted, not $rel"
		fi
		if [ -n "$over" ]; then
			echo "note=the VM was stopped: $over"
		elif [ "$qrc" != 0 ]; then
			echo "note=qemu exit status $qrc$([ "$qrc" = 124 ] && echo " (timeout ${VM_TIMEOUT}s)")"
		fi
		sed -n 's/^@@ST CALIBRATE .*slowdown=\([0-9.]*\).*/slowdown=\1/p' "$logf" | head -n 1
	} >"$res.tmp"
	mv "$res.tmp" "$res"
	[ -n "$OPT_CMD" ] && { log "$id ($rel): done in $(($(date +%s) - t0))s"; return; }
	log "$id ($rel): done in $(($(date +%s) - t0))s (modules loaded in $(sed -n 's/^modsecs=//p' "$res")s): $(grep -E "^($(IFS='|'; echo "${COLUMNS_[*]}"))=" "$res" | paste -sd ' ' -)"
}

host_row() {	# the same steps, directly on this machine
	local logf=$LOG_DIR/host.log res=$RUN_DIR/host.res b rc n expect="" t0
	t0=$(date +%s)
	: >"$logf"
	{
		echo "label=$(uname -r | cut -d- -f1) (host)"
		echo "log=$logf"
	} >"$res"
	hstep() {	# name cmd...: runs with markers into the log, returns rc
		local name=$1 r limit=$STEP_TIMEOUT
		shift
		# an st-live step's limit is the sum of its scenarios' (--budget)
		[ "$1" = "$ST_LIVE" ] && limit=$("$@" --budget | sed -n 's/^budget //p')
		[[ $limit =~ ^[1-9][0-9]*$ ]] || { echo "@@ST NOTE $name: st-live --budget printed no budget" >>"$logf"; limit=$STEP_TIMEOUT; }
		echo "@@ST BEGIN $name limit=$limit" >>"$logf"
		timeout -k 10 "$limit" "$@" >>"$logf" 2>&1 </dev/null
		r=$?
		echo "@@ST END $name rc=$r" >>"$logf"
		return $r
	}
	if [ "$(id -u)" != 0 ]; then
		for b in "${COLUMNS_[@]}"; do echo "$b=FAIL(not-root)"; done >>"$res"
		return
	fi
	if hstep probe "$SOCKTRACE" --probe; then echo "probe=pass"; else echo "probe=FAIL(rc=$?)"; fi >>"$res"
	for b in "${BACKENDS[@]}"; do
		if [ "$b" != tracepoint ]; then
			# expected here: the backend cannot load, and socktrace says so
			# in one line on stderr and exits non-zero.
			echo "@@ST BEGIN $b-unavailable" >>"$logf"
			timeout -k 10 60 "$SOCKTRACE" --backend "$b" -d 1 >"$RUN_DIR/h.out" 2>"$RUN_DIR/h.err" </dev/null
			rc=$?
			cat "$RUN_DIR/h.out" "$RUN_DIR/h.err" >>"$logf"
			echo "@@ST END $b-unavailable rc=$rc" >>"$logf"
			n=$(grep -c . "$RUN_DIR/h.err")
			if [ $rc -ne 0 ] && [ $rc -lt 124 ] && [ "$n" -eq 1 ]; then
				echo "$b=n/a-ok" >>"$res"
				continue
			elif [ $rc -ne 0 ]; then
				echo "$b=FAIL(unclean:rc=$rc,stderr=${n}lines)" >>"$res"
				continue
			fi
			echo "note=$b loads on this host: testing it like the others" >>"$res"
		fi
		[ -n "$expect" ] || expect=$b
		# shellcheck disable=SC2086  # OPT_LIVE_ARGS is a word list
		if hstep "$b" "$ST_LIVE" --socktrace "$SOCKTRACE" --backend "$b" $OPT_LIVE_ARGS; then
			echo "$b=pass"
		else
			echo "$b=$(eval_vm_log "$logf" 0 | sed -n "s/^$b=//p")"
		fi >>"$res"
	done
	expect=${expect:-tracepoint}
	# shellcheck disable=SC2086
	if hstep auto "$ST_LIVE" --socktrace "$SOCKTRACE" --backend auto --expect-backend "$expect" $OPT_LIVE_ARGS; then
		echo "auto=pass"
	else
		echo "auto=$(eval_vm_log "$logf" 0 | sed -n 's/^auto=//p')"
	fi >>"$res"
	echo "secs=$(($(date +%s) - t0))" >>"$res"
	log "host: done in $(($(date +%s) - t0))s"
}

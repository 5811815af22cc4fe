# tests/vm/lib/report.sh: the matrix, the failing rows' details, and the final count
# shellcheck shell=bash
# Sourced by tests/vm/run, which sets the globals it reads; sources nothing.
report() {
	if [ -n "$OPT_CMD" ]; then
		bad=0
		for id in "${VMS[@]}"; do
			res=$RUN_DIR/$id.res
			logf=$(sed -n 's/^log=//p' "$res")
			rc=$(sed -n 's/.*@@ST END cmd rc=\([0-9]*\).*/\1/p' "$logf")
			echo
			echo "=== $(sed -n 's/^label=//p' "$res"): rc=${rc:-none}  (log: $logf)"
			sed -n '/@@ST BEGIN cmd/,/@@ST END cmd/p' "$logf" | sed '1d;$d'
			[ "${rc:-1}" = 0 ] || bad=$((bad + 1))
		done
		echo
		echo "$((${#VMS[@]} - bad)) passed, $bad failed"
		[ $bad = 0 ]
		exit
	fi

	declare -A CELL
	labels=() ids=() pass=0 fail=0 failed_rows=()
	for id in "${ORDER[@]}"; do
		res=$RUN_DIR/$id.res
		[ -e "$res" ] || continue
		ids+=("$id")
		labels+=("$(sed -n 's/^label=//p' "$res")")
		bad=0
		for c in "${COLUMNS_[@]}"; do
			v=$(sed -n "s/^$c=//p" "$res" | tail -n 1)
			v=${v:-FAIL(no-result)}
			CELL[$id,$c]=$v
			case $v in
			FAIL*) fail=$((fail + 1)); bad=1 ;;
			*) pass=$((pass + 1)) ;;
			esac
		done
		[ $bad = 1 ] && failed_rows+=("$id")
	done

	for id in "${failed_rows[@]}"; do
		res=$RUN_DIR/$id.res
		logf=$(sed -n 's/^log=//p' "$res")
		echo
		echo "=== $(sed -n 's/^label=//p' "$res"): FAILED"
		sed -n 's/^note=/    note: /p' "$res"
		if [ -n "$logf" ] && [ -s "$logf" ] && grep -q '^FAIL ' "$logf"; then
			echo "=== failing scenarios (step: FAIL line, first 25):"
			awk '/@@ST BEGIN / { s = $3 } /^FAIL / { print "    " s ": " $0 }' "$logf" | head -n 25
		fi
		if [ -n "$logf" ] && [ -s "$logf" ]; then
			echo "=== last 40 lines of $logf"
			sed '/^@@ST DMESG BEGIN/,/^@@ST DMESG END/d' "$logf" | tail -n 40
		fi
	done

	echo
	w0=6
	for l in "${labels[@]}"; do [ ${#l} -gt "$w0" ] && w0=${#l}; done
	declare -A W
	for c in "${COLUMNS_[@]}"; do
		W[$c]=${#c}
		for id in "${ids[@]}"; do
			v=${CELL[$id,$c]}
			[ ${#v} -gt "${W[$c]}" ] && W[$c]=${#v}
		done
	done
	row() {	# label cells... time slowdown: one matrix line, no trailing blanks
		local line c
		line=$(printf "%-${w0}s" "$1")
		shift
		for c in "${COLUMNS_[@]}"; do
			line+=$(printf "  %-${W[$c]}s" "$1")
			shift
		done
		line+=$(printf "  %6s  %s" "$1" "$2")
		echo "${line%"${line##*[! ]}"}"
	}
	echo "matrix: ${#VMS[@]} VM(s), $MOST at a time at the most ($JOBS_WHY), smp $VM_SMP;" \
		"limits: each scenario's own x the VM's slowdown (host loop ${REFERENCE_NS:-?} ns)"
	row kernel "${COLUMNS_[@]}" time slowdown
	for i in "${!ids[@]}"; do
		cells=()
		for c in "${COLUMNS_[@]}"; do cells+=("${CELL[${ids[$i]},$c]}"); done
		res=$RUN_DIR/${ids[$i]}.res
		t=$(sed -n 's/^secs=//p' "$res" | tail -n 1)
		sl=$(sed -n 's/^slowdown=//p' "$res" | tail -n 1)
		[ "${ids[$i]}" = host ] && sl=1
		row "${labels[$i]}" "${cells[@]}" "${t:-?}s" "${sl:-?}"
	done
	for id in "${ORDER[@]}"; do
		case ${R_ERR[$id]:-} in dup:*) echo "($id: same kernel as ${R_ERR[$id]#dup:}, not run twice)" ;; esac
		res=$RUN_DIR/$id.res
		[ -e "$res" ] || continue
		sed -n "s/^note=/note: $id: /p" "$res"
	done
	echo "logs: $LOG_DIR (total $(($(date +%s) - T0))s)"
	echo "$pass passed, $fail failed"
	[ $fail -eq 0 ] && [ $pass -gt 0 ]

}

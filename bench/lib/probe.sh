# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash disable=SC2034 # its globals are read by the other parts
#
# bench/lib/probe.sh: what the socktrace under test can do, from its
# machine-readable probe (`socktrace --probe --json`, read by probe.py).
# Sourced by bench/run; sources nothing.
#
# probe_socktrace PATH sets:
#   ST_OK        1 when socktrace runs and said what it can do, else 0
#   ST_WHY       why not, when ST_OK is 0
#   ST_OPTIONS   its long options, " pid port ... " (spaces around each)
#   ST_BACKENDS  its backends, in its order (fentry kprobe tracepoint when
#                it could not say: their rows then say why not)
#   ST_PROBED    1 when it said which backends run here
#   ST_BE_OK[b]  yes|no: whether backend b loads and attaches here
#   ST_BE_WHY[b] why not, when it does not

ST_OK=0 ST_WHY="" ST_PROBED=0 ST_OPTIONS=" " ST_BACKENDS=(fentry kprobe tracepoint)
declare -A ST_BE_OK=() ST_BE_WHY=()

probe_socktrace() {	# socktrace
	local st=$1 json lines errf err rc kw a b rest
	[ -x "$st" ] || { ST_WHY="$st not built (make)"; return; }
	# what it printed is read whatever its exit status (a probe that found no
	# backend exits 1 and still prints the object)
	json=$("$st" --probe --json 2>/dev/null)
	errf=$(mktemp) || return
	lines=$(python3 "$BENCH_LIB/probe.py" <<<"$json" 2>"$errf")
	rc=$?
	err=$(head -1 "$errf")
	rm -f "$errf"
	if [ "$rc" != 0 ]; then
		ST_WHY="$st --probe --json: ${err:-unreadable}"
		return
	fi
	ST_OK=1
	local -a probed=()
	while read -r kw a b rest; do
		case $kw in
		option) ST_OPTIONS+="$a " ;;
		backend) probed+=("$a"); ST_BE_OK[$a]=$b; ST_BE_WHY[$a]=$rest ;;
		esac
	done <<<"$lines"
	if [ ${#probed[@]} -gt 0 ]; then
		ST_BACKENDS=("${probed[@]}")
	fi
	[ ${#probed[@]} -gt 0 ] && ST_PROBED=1
	return 0
}

st_has_option() { [[ $ST_OPTIONS == *" $1 "* ]]; }

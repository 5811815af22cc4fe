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

# The probe as probe.py's lines, from a socktrace that predates --json: its
# --help's options and backends ("listed NAME") and its --probe table. Only
# for the time before `socktrace --probe --json` lands; then remove it.
probe_legacy() {	# socktrace
	local help table
	help=$("$1" --help 2>&1) || return 1
	table=$("$1" --probe 2>&1) || table=
	grep -oE -- '--[a-z][a-z0-9-]*' <<<"$help" | sed 's/^--/option /' | sort -u
	sed -n 's/.*--backend NAME *\(.*\) or auto.*/\1/p' <<<"$help" | tr -d ',' |
		tr ' ' '\n' | sed '/^$/d; s/^/listed /'
	awk '$1 == "backend" {
		line = $0; sub(/^backend +[^ ]+ +/, "", line); gsub(/ +/, " ", line)
		print "backend", $2, ($3 == "yes" ? "yes" : "no " line) }' <<<"$table"
}

probe_socktrace() {	# socktrace
	local st=$1 json lines errf err rc kw a b rest
	[ -x "$st" ] || { ST_WHY="$st not built (make)"; return; }
	# what it printed is read whatever its exit status (a probe that found no
	# backend may fail); a usage error and no JSON is a socktrace without it
	json=$("$st" --probe --json 2>/dev/null)
	rc=$?
	if [ "$rc" != 0 ] && [[ $json != "{"* ]]; then
		if ! lines=$(probe_legacy "$st"); then
			ST_WHY="$st --help failed"
			return
		fi
		echo "bench/run: $st has no --probe --json: capabilities from its --help and --probe" >&2
	else
		errf=$(mktemp) || return
		lines=$(python3 "$BENCH_LIB/probe.py" <<<"$json" 2>"$errf")
		rc=$?
		err=$(head -1 "$errf")
		rm -f "$errf"
		if [ "$rc" != 0 ]; then
			ST_WHY="$st --probe --json: ${err:-unreadable}"
			return
		fi
	fi
	ST_OK=1
	local -a listed=() probed=()
	while read -r kw a b rest; do
		case $kw in
		option) ST_OPTIONS+="$a " ;;
		listed) listed+=("$a") ;;
		backend) probed+=("$a"); ST_BE_OK[$a]=$b; ST_BE_WHY[$a]=$rest ;;
		esac
	done <<<"$lines"
	if [ ${#listed[@]} -gt 0 ]; then
		ST_BACKENDS=("${listed[@]}")
	elif [ ${#probed[@]} -gt 0 ]; then
		ST_BACKENDS=("${probed[@]}")
	fi
	[ ${#probed[@]} -gt 0 ] && ST_PROBED=1
	return 0
}

st_has_option() { [[ $ST_OPTIONS == *" $1 "* ]]; }

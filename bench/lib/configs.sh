# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash disable=SC2034 # its globals are read by the other parts
#
# bench/lib/configs.sh: the configurations bench/run measures. Sourced by
# bench/run after probe.sh has run (reads SOCKTRACE, BPFTRACE, FLOOR,
# FLOOR_OBJ and the ST_* capabilities); sources nothing.
#
# Each id maps to: kind (tcp|udp, or a web load: http|keepalive|bulk, see
# web.sh), tracer (none|st|bt|fl), how its output is counted (see events.sh;
# null: stdout to /dev/null, nothing counted), a label, a command. Each kind
# has its untraced baseline, CFG_BASE_OF[kind]. fl is bench/floor: do-nothing
# programs on the tracepoint backend's hooks. The socktrace rows exist even
# when ./socktrace does not: they say why not.
CFG_IDS=()
declare -A CFG_KIND CFG_TRACER CFG_LABEL CFG_CMD CFG_NA CFG_PARSE
declare -A CFG_BASE_OF=([tcp]=base [udp]=udp-base [http]=http-base [keepalive]=ka-base [bulk]=bulk-base)
WEB_KINDS=(http keepalive bulk)

add_cfg() {	# id kind tracer parse label cmd...
	local id=$1 kind=$2 tracer=$3 parse=$4 label=$5
	shift 5
	CFG_IDS+=("$id")
	CFG_KIND[$id]=$kind CFG_TRACER[$id]=$tracer CFG_PARSE[$id]=$parse
	CFG_LABEL[$id]=$label CFG_CMD[$id]="$*" CFG_NA[$id]=
}

cfg_table() {
	local b
	add_cfg base          tcp none  none    "untraced"
	add_cfg st-json       tcp st    json    "socktrace -j > file"               "$SOCKTRACE" -j
	add_cfg st-text       tcp st    text    "socktrace > file"                  "$SOCKTRACE"
	add_cfg st-summary    tcp st    summary "socktrace --summary"               "$SOCKTRACE" --summary
	add_cfg st-pid1       tcp st    text    "socktrace --pid 1 (filters the load out)" "$SOCKTRACE" --pid 1
	add_cfg st-ev         tcp st    json    "socktrace -j -e connect,accept"    "$SOCKTRACE" -j -e connect,accept
	add_cfg floor         tcp fl    none    "floor: the tracepoint backend's hooks, doing nothing" "$FLOOR" "$FLOOR_OBJ"
	# the floor taken apart: which hooks cost what
	add_cfg floor-state   tcp fl    none    "floor, only sock:inet_sock_set_state (2 programs)" "$FLOOR" "$FLOOR_OBJ" floor_state floor_state_twin
	add_cfg floor-sys     tcp fl    none    "floor, only the accept syscall exits" "$FLOOR" "$FLOOR_OBJ" floor_accept4_exit floor_accept_exit
	add_cfg floor-devq    tcp fl    none    "floor, only net:net_dev_queue" "$FLOOR" "$FLOOR_OBJ" floor_dev_queue
	# one row per backend that the tracer knows; only those that run here run
	for b in "${ST_BACKENDS[@]}"; do
		add_cfg "st-be-$b" tcp st json "socktrace --backend $b -j" "$SOCKTRACE" --backend "$b" -j
	done
	add_cfg peer-print    tcp bt    print   "peer: bpftrace peer-print.bt > file"  "$BPFTRACE" bench/peer-print.bt
	add_cfg peer-count    tcp bt    count   "peer: bpftrace peer-count.bt (count in kernel)" "$BPFTRACE" bench/peer-count.bt
	add_cfg udp-base      udp none  none    "untraced"
	add_cfg udp-st-json   udp st    udpjson "socktrace -j > file"               "$SOCKTRACE" -j
	# DNS watching on: the flood's datagrams are not from port 53, so beside the
	# row above this one is what the answer program and the query notes cost them
	add_cfg udp-st-names  udp st    udpjson "socktrace -j --names > file"       "$SOCKTRACE" -j --names
	add_cfg udp-floor     udp fl    none    "floor: the tracepoint backend's hooks, doing nothing" "$FLOOR" "$FLOOR_OBJ"
	add_cfg udp-peer-count udp bt   udpcount "peer: bpftrace peer-udp-count.bt (count in kernel)" "$BPFTRACE" bench/peer-udp-count.bt
	# the web loads (web.sh): socktrace streaming to /dev/null and summing up;
	# the peer counting in the kernel on the hooks that load fires most: the
	# connects and accepts, or (kept-alive and bulk) every packet that leaves
	local k p
	for k in http keepalive bulk; do
		p=${CFG_BASE_OF[$k]%-base}
		add_cfg "$p-base"       "$k" none none "untraced"
		add_cfg "$p-st-json"    "$k" st   null "socktrace -j > /dev/null"  "$SOCKTRACE" -j
		add_cfg "$p-st-summary" "$k" st   null "socktrace --summary"       "$SOCKTRACE" --summary
		if [ "$k" = http ]; then
			add_cfg http-peer-count http bt none "peer: bpftrace peer-count.bt (count in kernel)" "$BPFTRACE" bench/peer-count.bt
		else
			add_cfg "$p-peer-devq" "$k" bt none "peer: bpftrace peer-udp-count.bt (every packet, count in kernel)" "$BPFTRACE" bench/peer-udp-count.bt
		fi
	done
}

cfg_list() {
	local id
	for id in "${CFG_IDS[@]}"; do printf '%-16s %s  %s\n' "$id" "${CFG_KIND[$id]}" "${CFG_LABEL[$id]}"; done
}

# what cannot run here, and why (a visible "not available" row, not a failure)
cfg_availability() {
	local id b
	for id in "${CFG_IDS[@]}"; do
		case ${CFG_TRACER[$id]} in
		st)
			if [ "$ST_OK" != 1 ]; then
				CFG_NA[$id]=$ST_WHY
			elif [[ $id == *st-summary ]] && ! st_has_option summary; then
				CFG_NA[$id]="socktrace --probe lists no --summary"
			elif [ "$id" = st-ev ] && ! st_has_option events; then
				CFG_NA[$id]="socktrace --probe lists no --events"
			elif [ "$id" = udp-st-names ] && ! st_has_option names; then
				CFG_NA[$id]="socktrace --probe lists no --names"
			elif [[ $id == st-be-* ]] && [ "$ST_PROBED" = 1 ]; then
				b=${id#st-be-}
				if [ -z "${ST_BE_OK[$b]:-}" ]; then
					CFG_NA[$id]="socktrace --probe does not list it"
				elif [ "${ST_BE_OK[$b]}" != yes ]; then
					CFG_NA[$id]="does not run here: ${ST_BE_WHY[$b]}"
				fi
			fi ;;
		bt)
			command -v "$BPFTRACE" >/dev/null 2>&1 || CFG_NA[$id]="$BPFTRACE not installed" ;;
		fl)
			[ -x "$FLOOR" ] && [ -f "$FLOOR_OBJ" ] || CFG_NA[$id]="$FLOOR or $FLOOR_OBJ not built (make bench builds both)" ;;
		esac
		if [ -z "${CFG_NA[$id]}" ] && cfg_is_web "$id"; then
			b=$(web_missing "${CFG_KIND[$id]}")
			[ -n "$b" ] && CFG_NA[$id]="not installed: $b (make deps)"
		fi
	done
}

# --configs LIST: only these, with the untraced baseline of each kind
cfg_select() {	# comma-separated ids
	local w id
	local -a sel=() want=()
	IFS=, read -r -a want <<<"$1"
	for w in "${want[@]}"; do
		[ -n "${CFG_KIND[$w]:-}" ] || die "unknown configuration '$w' (see --list)"
	done
	for id in "${CFG_IDS[@]}"; do
		for w in "${want[@]}"; do [ "$w" = "$id" ] && sel+=("$id"); done
	done
	# the untraced baseline of each kind always runs: the ratios need it
	for id in "${sel[@]}"; do
		w=${CFG_BASE_OF[${CFG_KIND[$id]}]}
		[[ " ${sel[*]} " != *" $w "* ]] && sel=("$w" "${sel[@]}")
	done
	CFG_IDS=("${sel[@]}")
}

# a configuration of one of the web loads
cfg_is_web() { [[ " ${WEB_KINDS[*]} " == *" ${CFG_KIND[$1]} "* ]]; }

# --web-only: keep only the web loads; --quick without it: leave them out
cfg_web() {	# only|without
	local id
	local -a sel=()
	for id in "${CFG_IDS[@]}"; do
		if cfg_is_web "$id"; then [ "$1" = only ] && sel+=("$id")
		else [ "$1" = without ] && sel+=("$id"); fi
	done
	CFG_IDS=("${sel[@]}")
}

# whether the selection has runs of this kind
cfg_has_kind() {	# tcp|udp
	local id
	for id in "${CFG_IDS[@]}"; do [ "${CFG_KIND[$id]}" = "$1" ] && return 0; done
	return 1
}

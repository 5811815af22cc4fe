# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash disable=SC2034 # its globals are read by the other parts
#
# bench/lib/events.sh: what a tracer reported, read from its output once it
# has stopped. Sourced by bench/run; sources nothing.

# The connect and accept events (udp for UDP) the tracer reported for the
# load (pid $2), by the parser of the configuration; prints their number.
count_events() {	# parse pid out
	local parse=$1 pid=$2 out=$3
	case $parse in
	json)
		python3 "$BENCH_LIB/count-events.py" "$out" "$pid" connect accept ;;
	text)
		awk -v p="$pid" '$2 == p && / (connect|accept) / {n++} END {print n + 0}' "$out" ;;
	summary)
		awk -v p="$pid" '
			/CONNECTS/ && /ACCEPTS/ { for (i = 1; i <= NF; i++) { if ($i == "CONNECTS") c = i; if ($i == "ACCEPTS") a = i }; next }
			c && $1 == p { n += $c + $a }
			END { print n + 0 }' "$out" ;;
	print)
		grep -E -c "^(connect|accept) pid=$pid " "$out" ;;
	count)	# in-kernel counts are system-wide: other processes' connects too
		awk '/^@(connects|accepts):/ {n += $2} END {print n + 0}' "$out" ;;
	udpjson)
		python3 "$BENCH_LIB/count-events.py" "$out" "$pid" udp ;;
	udpcount)
		awk '/^@packets:/ {n += $2} END {print n + 0}' "$out" ;;
	*) echo 0 ;;
	esac
}

# What a tracer said about itself on stderr at exit, as "dropped total
# unseen" ("-" where it said nothing). socktrace: "socktrace: N events,
# M dropped" and "socktrace: K connections ended without ..." (closes it had
# not seen); bpftrace: "Lost N events" (on stderr or stdout).
exit_counts() {	# tracer err out
	local dropped=- total=- unseen=-
	if [ "$1" = st ]; then
		dropped=$(sed -nE 's/.* ([0-9]+) dropped.*/\1/p' "$2" | tail -1)
		total=$(sed -nE 's/.*socktrace: ([0-9]+) events.*/\1/p' "$2" | tail -1)
		unseen=$(sed -nE 's/.*socktrace: ([0-9]+) connections ended without.*/\1/p' "$2" | tail -1)
		unseen=${unseen:-0}
	elif [ "$1" = bt ]; then
		dropped=$(sed -nE 's/.*Lost ([0-9]+) events.*/\1/p' "$2" "$3" | awk '{n += $1} END {print n + 0}')
	fi
	echo "${dropped:--} ${total:--} $unseen"
}

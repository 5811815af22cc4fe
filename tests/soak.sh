#!/bin/bash
# Soak: socktrace streams (to /dev/null) and keeps its per-process counters
# while several loadgen processes make TCP connections from many ports for
# SOAK_SECONDS; its resident memory must level off (the kernel maps are LRU
# or bounded, the userspace tables are read from them). Prints the RSS
# series and writes it to $OUT/soak.log.
#   tests/soak.sh ./socktrace .output/loadgen [SECONDS] [PROCESSES]
set -u
bin=$(realpath "${1:-./socktrace}")
loadgen=$(realpath "${2:-.output/loadgen}")
secs=${3:-600}
procs=${4:-3}
log=${OUT:-.output}/soak.log
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL soak: $*"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null; }

"$bin" -j -s --stream >/dev/null 2>"$tmp/err" &
pid=$!
for _ in $(seq 200); do grep -q "socktrace: tracing" "$tmp/err" && break; sleep 0.1; done
grep -q "socktrace: tracing" "$tmp/err" || { bad "socktrace did not attach: $(cat "$tmp/err")"; echo "0 passed, 1 failed"; exit 1; }

# the load: procs loadgen processes in a loop, each run 20000 connections
# (bounded by --timeout), until the time is up
end=$((SECONDS + secs))
for i in $(seq "$procs"); do
	(
		while [ $SECONDS -lt $end ]; do
			"$loadgen" tcp -n 20000 -t 2 --timeout 30 || break
		done
	) >"$tmp/load.$i" 2>&1 &
done
: >"$log"
samples=()
step=$((secs / 20 > 1 ? secs / 20 : 1))
while [ $SECONDS -lt $end ]; do
	sleep "$step"
	r=$(rss $pid)
	[ -n "$r" ] || { bad "socktrace died: $(tail -3 "$tmp/err")"; break; }
	samples+=("$r")
	echo "t=${SECONDS}s rss=${r}kB" | tee -a "$log"
done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null
conns=$(cat "$tmp"/load.* | grep -oE 'ops=[0-9]+' | cut -d= -f2 | awk '{s += $1} END {print s + 0}')
kill -INT $pid
wait $pid
rc=$?
[ "$rc" = 0 ] && ok || bad "socktrace exit status $rc"
echo "connections: $conns; $(grep -E 'events,' "$tmp/err")" | tee -a "$log"
# levelled off: the second half's peak is within 10% (+1 MiB) of the first half's
n=${#samples[@]}
if [ "$n" -ge 4 ]; then
	h=$((n / 2))
	first=$(printf '%s\n' "${samples[@]:0:h}" | sort -n | tail -1)
	second=$(printf '%s\n' "${samples[@]:h}" | sort -n | tail -1)
	if [ "$second" -le $((first * 11 / 10 + 1024)) ]; then ok; else
		bad "RSS still growing: first half peak ${first}kB, second half ${second}kB"
	fi
	echo "rss peak: first half ${first}kB, second half ${second}kB" | tee -a "$log"
else
	bad "too few samples ($n)"
fi
[ "$conns" -gt 0 ] && ok || bad "no connection was made"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

#!/bin/bash
# --metrics against a real Prometheus server (Debian's prometheus package):
# it scrapes socktrace every second on loopback while known traffic comes from
# processes with known names (tests/metrics_traffic.py); its query API must
# return exactly those counts. Then promtool on the page, bad HTTP (huge,
# slowloris, garbage, unknown path, too many clients) with the scrapes going
# on, a series limit of 3, and --metrics-labels on processes in cgroups the
# test makes (a docker-style scope and a NAME.service).
#   tests/metrics.sh ./socktrace
# Run it under the shared lock (flock /tmp/st-live.lock): other tracers' traffic
# would not change these counts, but their load may.
set -u
bin=$(realpath "${1:-./socktrace}")
here=$(cd "$(dirname "$0")" && pwd)
traffic="$here/metrics_traffic.py"
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL metrics: $*"; }
check() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', expected '$3'"; fi; }
tmp=$(mktemp -d)
st_pid="" prom_pid="" cgtop=""
cleanup() {
	[ -n "$st_pid" ] && kill "$st_pid" 2>/dev/null
	[ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null
	wait 2>/dev/null
	# every cgroup made, deepest first: its processes have exited by now
	[ -n "$cgtop" ] && [ -d "$cgtop" ] && find "$cgtop" -depth -type d -exec rmdir {} \;
	rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
	bad "prometheus and promtool are not installed (tests/deps.sh installs them)"
	echo "$passed passed, $failed failed"
	exit 1
fi

# ---- the command line --------------------------------------------------
for a in 9464 localhost: :0 :65536 '[::1' '[nothere]:1' 'example.com:80' '1.2.3:80'; do
	err=$("$bin" --metrics "$a" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ]; then ok; else
		bad "--metrics '$a': exit $rc, '$err'"; fi
done
"$bin" --metrics-max-series 3 >/dev/null 2>&1
check "--metrics-max-series without --metrics" "$?" 2
"$bin" --metrics-labels comm >/dev/null 2>&1
check "--metrics-labels without --metrics" "$?" 2
for a in pid comm,pid comm,comm '' comm, ,unit 'comm container'; do
	err=$("$bin" --metrics localhost:1 --metrics-labels "$a" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ]; then ok; else
		bad "--metrics-labels '$a': exit $rc, '$err'"; fi
done

# ---- socktrace and Prometheus --------------------------------------------
mport=$(free_port)
"$bin" --metrics "127.0.0.1:$mport" >"$tmp/stdout" 2>"$tmp/stderr" &
st_pid=$!
pport=$(free_port)
cat >"$tmp/prometheus.yml" <<EOC
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: socktrace
    static_configs:
      - targets: ['127.0.0.1:$mport']
EOC
# Prometheus, with a fresh store in $tmp/$1
prom_start() {
	prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/$1" \
		--web.listen-address="127.0.0.1:$pport" >"$tmp/$1.log" 2>&1 &
	prom_pid=$!
}
prom_start tsdb

up() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mport/metrics"; }
for _ in $(seq 100); do [ "$(up)" = 200 ] && break; sleep 0.1; done
check "socktrace serves /metrics" "$(up)" 200

# one number from Prometheus' query API: "" when the query has no result
query() {
	curl -s -G "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=$1" |
		python3 -c 'import json,sys
r=json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if len(r)==1 else ("" if not r else "many"))' 2>/dev/null
}
# promtool on the page in $tmp/page; $1 says which
promcheck() {
	if promtool check metrics <"$tmp/page" >"$tmp/promtool" 2>&1; then ok; else
		bad "promtool check metrics $1: $(head -5 "$tmp/promtool")"; fi
}
# wait (at most 20 s) for a query to give the value: the scrapes are 1 s apart
expect() {
	local v=""
	for _ in $(seq 40); do
		v=$(query "$2")
		[ "$v" = "$3" ] && break
		sleep 0.5
	done
	check "$1 ($2)" "$v" "$3"
}

python3 "$traffic" tcp st-metrics-srv st-metrics-cli 5 || bad "traffic failed"
python3 "$traffic" refused st-metrics-bad || bad "refused traffic failed"
python3 "$traffic" udp st-metrics-udp 7 33 st-metrics-urx || bad "udp traffic failed"
expect "connects" 'socktrace_tcp_connects_total{comm="st-metrics-cli"}' 5
expect "accepts" 'socktrace_tcp_accepts_total{comm="st-metrics-srv"}' 5
expect "client closes" 'socktrace_tcp_closes_total{comm="st-metrics-cli"}' 5
expect "client sent" 'socktrace_tcp_sent_bytes_total{comm="st-metrics-cli"}' 500
expect "client received" 'socktrace_tcp_received_bytes_total{comm="st-metrics-cli"}' 250
expect "server sent" 'socktrace_tcp_sent_bytes_total{comm="st-metrics-srv"}' 250
expect "server received" 'socktrace_tcp_received_bytes_total{comm="st-metrics-srv"}' 500
expect "refused" 'socktrace_tcp_failures_total{comm="st-metrics-bad",reason="refused"}' 1
expect "no other failure" 'sum(socktrace_tcp_failures_total{comm="st-metrics-cli"}) or vector(0)' 0
expect "durations" 'socktrace_tcp_connection_duration_seconds_count{comm="st-metrics-cli"}' 5
expect "open connections" 'socktrace_tcp_open_connections{comm="st-metrics-cli"}' 0
expect "listens" 'socktrace_tcp_listen_sockets{comm="st-metrics-srv"}' 1
expect "udp flows" 'socktrace_udp_flows_total{comm="st-metrics-udp",dir="out"}' 1
expect "udp packets" 'socktrace_udp_packets_total{comm="st-metrics-udp",dir="out"}' 7
expect "udp bytes" 'socktrace_udp_bytes_total{comm="st-metrics-udp",dir="out"}' 231
expect "udp flows read" 'socktrace_udp_flows_total{comm="st-metrics-urx",dir="in"}' 1
expect "udp packets read" 'socktrace_udp_packets_total{comm="st-metrics-urx",dir="in"}' 7
expect "udp bytes read" 'socktrace_udp_bytes_total{comm="st-metrics-urx",dir="in"}' 231
expect "build info" 'socktrace_build_info' 1
expect "scrape up" 'up{job="socktrace"}' 1

curl -s "http://127.0.0.1:$mport/metrics" >"$tmp/page"
promcheck ""
check "content type" "$(curl -s -o /dev/null -w '%{content_type}' "http://127.0.0.1:$mport/metrics")" \
	"text/plain; version=0.0.4; charset=utf-8"
check "quiet: nothing on stdout" "$(wc -c <"$tmp/stdout")" 0

# ---- bad HTTP ---------------------------------------------------------------
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "unknown path" "$(code "http://127.0.0.1:$mport/nothere")" 404
check "other method" "$(code -X DELETE "http://127.0.0.1:$mport/metrics")" 405
check "HEAD" "$(code -I "http://127.0.0.1:$mport/metrics")" 200
check "huge request" "$(code -H "X-Big: $(head -c 8000 /dev/zero | tr '\0' a)" \
	"http://127.0.0.1:$mport/metrics")" 431
# binary garbage: a 400 and a close; the answer's first line
garbage=$(python3 - "$mport" <<'EOP'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
s.sendall(b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\x00\xff\r\n\r\n")
print(s.recv(100).split(b"\r\n")[0].decode())
EOP
)
check "binary garbage" "$garbage" "HTTP/1.1 400 Bad Request"
# slowloris: 20 clients that send nothing. Past 16 they are closed at once;
# after the time limit (5 s) all are; scrapes go on meanwhile
slow=$(python3 - "$mport" <<'EOP'
import socket, sys, time
port = int(sys.argv[1])
cs = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
time.sleep(0.5)
closed = 0
for c in cs:
    c.setblocking(False)
    try:
        if c.recv(1) == b"":
            closed += 1
    except BlockingIOError:
        pass
early = closed
time.sleep(6)
closed = 0
for c in cs:
    c.settimeout(1)
    try:
        if c.recv(1) == b"":
            closed += 1
    except (socket.timeout, ConnectionResetError):
        closed += 1 if isinstance(sys.exc_info()[1], ConnectionResetError) else 0
print(early, closed)
EOP
)
check "too many clients refused at once, the rest closed after 5 s" "$slow" "4 20"
check "scraping after bad HTTP" "$(up)" 200
expect "refused clients counted" 'socktrace_metrics_http_refused_total >= bool 4' 1
expect "slow clients counted" 'socktrace_metrics_http_timeouts_total >= bool 16' 1
expect "scrapes still up" 'up{job="socktrace"}' 1
expect "counts unchanged" 'socktrace_tcp_connects_total{comm="st-metrics-cli"}' 5
kill -0 "$st_pid" 2>/dev/null && ok || bad "socktrace ended: $(cat "$tmp/stderr")"
kill "$st_pid" "$prom_pid"
wait "$st_pid" "$prom_pid" 2>/dev/null
st_pid="" prom_pid=""

# ---- the series limit ------------------------------------------------------
"$bin" --metrics "127.0.0.1:$mport" --metrics-max-series 3 >/dev/null 2>"$tmp/stderr" &
st_pid=$!
for _ in $(seq 100); do [ "$(up)" = 200 ] && break; sleep 0.1; done
python3 "$traffic" names st-metrics-n 5 || bad "named traffic failed"
sleep 0.5
curl -s "http://127.0.0.1:$mport/metrics" >"$tmp/page"
n=$(grep '^socktrace_tcp_connects_total{' "$tmp/page" | grep -vc 'comm="other"')
if [ "$n" -le 3 ]; then ok; else bad "series limit 3: $n comm series"; fi
check "other is there" "$(grep -c '^socktrace_tcp_connects_total{comm="other"}' "$tmp/page")" 1
ovf=$(sed -n 's/^socktrace_metrics_series_overflow_total //p' "$tmp/page")
if [ "${ovf:-0}" -gt 0 ]; then ok; else bad "overflow not counted: '$ovf'"; fi
# every connect is still counted once: in its series or in "other"
sum=$(grep '^socktrace_tcp_connects_total{' "$tmp/page" | awk '{s += $2} END {print s}')
if [ "${sum:-0}" -ge 5 ]; then ok; else bad "connects summed: $sum, expected at least 5"; fi
promcheck "(series limit)"

# ---- 2,000 names against the default limit (1,000) -------------------------
kill "$st_pid"; wait "$st_pid" 2>/dev/null
"$bin" --metrics "127.0.0.1:$mport" >/dev/null 2>"$tmp/stderr" &
st_pid=$!
for _ in $(seq 100); do [ "$(up)" = 200 ] && break; sleep 0.1; done
python3 "$traffic" names st-many 2000 || bad "2000 named processes failed"
sleep 0.5
curl -s "http://127.0.0.1:$mport/metrics" >"$tmp/page"
check "2000 names: 1000 series and other" \
	"$(grep -c '^socktrace_tcp_connects_total{' "$tmp/page")" 1001
ovf=$(sed -n 's/^socktrace_metrics_series_overflow_total //p' "$tmp/page")
if [ "${ovf:-0}" -ge 1000 ]; then ok; else bad "2000 names: overflow '$ovf', expected >= 1000"; fi

# ---- a process table that evicts: the counters never go down ----------------
# The kernel keeps 4 processes; 12 named senders come one after another (with
# curl and socktrace's own scrapes between them). A sender read (every second)
# before its eviction keeps its exact counts; one evicted before any read has
# 0 and is counted as unread; no sample ever decreases.
kill "$st_pid"; wait "$st_pid" 2>/dev/null
SOCKTRACE_TEST_PROC_TABLE=4 "$bin" --metrics "127.0.0.1:$mport" >/dev/null 2>"$tmp/stderr" &
st_pid=$!
for _ in $(seq 100); do [ "$(up)" = 200 ] && break; sleep 0.1; done
: >"$tmp/samples"
for i in $(seq 0 11); do
	python3 "$traffic" udp "st-evict$i" 3 10 "st-evrx$i" || bad "udp sender $i failed"
	sleep 1.3
	curl -s "http://127.0.0.1:$mport/metrics" | grep '^socktrace_udp_packets_total{comm="st-evict' |
		sed "s/^/$i /" >>"$tmp/samples"
done
curl -s "http://127.0.0.1:$mport/metrics" >"$tmp/page"
whole=$(grep -c '^socktrace_udp_packets_total{comm="st-evict[0-9]*",dir="out"} 3$' "$tmp/page")
none=$(grep -c '^socktrace_udp_packets_total{comm="st-evict[0-9]*",dir="out"} 0$' "$tmp/page")
check "eviction: each sender has all its packets or none" "$((whole + none))" 12
check "eviction: bytes go with packets" \
	"$(grep -c '^socktrace_udp_bytes_total{comm="st-evict[0-9]*",dir="out"} 30$' "$tmp/page")" "$whole"
if [ "$whole" -ge 6 ]; then ok; else bad "eviction: only $whole of 12 senders read before eviction"; fi
unread=$(sed -n 's/^socktrace_process_table_unread_total //p' "$tmp/page")
if [ "${unread:-0}" -ge "$none" ]; then ok; else
	bad "eviction: $none senders lost but unread is '$unread'"; fi
# a series' value in a later sample is never below an earlier one
down=$(awk '{ k = $2; v = $3; if (k in last && v < last[k]) print; last[k] = v }' "$tmp/samples")
check "eviction: no sample decreased" "$down" ""
ev=$(sed -n 's/^socktrace_process_table_evictions_total //p' "$tmp/page")
if [ "${ev:-0}" -ge 8 ]; then ok; else bad "evictions counted: '$ev', expected >= 8"; fi
grep -q 'SOCKTRACE_TEST_PROC_TABLE' "$tmp/stderr" && ok || bad "test mode not announced"

# ---- with -j: the stream too -----------------------------------------------
kill "$st_pid"; wait "$st_pid" 2>/dev/null
"$bin" --metrics "127.0.0.1:$mport" -j >"$tmp/stdout" 2>"$tmp/stderr" &
st_pid=$!
for _ in $(seq 100); do [ "$(up)" = 200 ] && break; sleep 0.1; done
python3 "$traffic" tcp st-metrics-srv st-metrics-j 2 || bad "traffic failed"
sleep 0.5
kill "$st_pid"; wait "$st_pid" 2>/dev/null
st_pid=""
check "-j streams JSON too" "$(grep -c '"comm":"st-metrics-j".*"event":"connect"\|"event":"connect".*"comm":"st-metrics-j"' "$tmp/stdout")" 2

# ---- --metrics-labels: container and unit from the cgroup -------------------
# The clients (and their servers) run in cgroups made here: a docker-style
# scope and a NAME.service; Prometheus must see exactly their counts under
# those labels, and with the default labels only comm.
mnt=$(awk '$9 == "cgroup2" && $4 == "/" { print $5; exit }' /proc/self/mountinfo)
hex=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
cgtop="$mnt/st-metrics-$$.slice"
docker="$cgtop/docker-$hex.scope" unit="$cgtop/st-metrics-$$.service"
if [ -z "$mnt" ] || ! mkdir -p "$docker" "$unit"; then
	bad "cannot make cgroups under the cgroup2 mount '$mnt'"
fi
# run a command inside cgroup directory $1
in_cg() {
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$@"
}
labelled() {
	kill "$st_pid" 2>/dev/null; wait "$st_pid" 2>/dev/null
	"$bin" --metrics "127.0.0.1:$mport" "$@" >/dev/null 2>"$tmp/stderr" &
	st_pid=$!
	for _ in $(seq 100); do [ "$(up)" = 200 ] && break; sleep 0.1; done
}
prom_start tsdb2
labelled --metrics-labels comm,container,unit
in_cg "$docker" python3 "$traffic" tcp st-lbl-srv st-lbl-dock 3 || bad "traffic in the scope failed"
in_cg "$unit" python3 "$traffic" tcp st-lbl-srv st-lbl-unit 4 || bad "traffic in the unit failed"
python3 "$traffic" tcp st-lbl-srv st-lbl-none 2 || bad "traffic outside failed"
expect "labels: container connects" \
	"socktrace_tcp_connects_total{comm=\"st-lbl-dock\",container=\"$hex\",unit=\"\"}" 3
expect "labels: container accepts" \
	"socktrace_tcp_accepts_total{comm=\"st-lbl-srv\",container=\"$hex\",unit=\"\"}" 3
expect "labels: unit connects" \
	"socktrace_tcp_connects_total{comm=\"st-lbl-unit\",container=\"\",unit=\"st-metrics-$$.service\"}" 4
expect "labels: unit accepts" \
	"socktrace_tcp_accepts_total{comm=\"st-lbl-srv\",unit=\"st-metrics-$$.service\"}" 4
expect "labels: unit bytes" \
	"socktrace_tcp_sent_bytes_total{comm=\"st-lbl-unit\",unit=\"st-metrics-$$.service\"}" 400
# the host's own cgroup may name a unit (a session scope): whatever it is, no container
expect "labels: outside, no container" \
	'socktrace_tcp_connects_total{comm="st-lbl-none",container=""}' 2
expect "labels: the server in three series" 'count(socktrace_tcp_accepts_total{comm="st-lbl-srv"})' 3
expect "labels: nothing else" 'sum(socktrace_tcp_connects_total{comm=~"st-lbl-.*"})' 9
expect "labels: no pod label" 'count(socktrace_tcp_connects_total{pod!=""}) or vector(0)' 0
curl -s "http://127.0.0.1:$mport/metrics" >"$tmp/page"
promcheck "(labels)"

labelled
in_cg "$docker" python3 "$traffic" tcp st-lbl-srv st-lbl-dock2 3 || bad "traffic in the scope failed"
in_cg "$unit" python3 "$traffic" tcp st-lbl-srv st-lbl-unit2 4 || bad "traffic in the unit failed"
expect "default: comm only (scope)" 'socktrace_tcp_connects_total{comm="st-lbl-dock2"}' 3
expect "default: comm only (unit)" 'socktrace_tcp_connects_total{comm="st-lbl-unit2"}' 4
expect "default: one server series" 'socktrace_tcp_accepts_total{comm="st-lbl-srv"}' 7
expect "default: no container or unit label" \
	'count({__name__=~"socktrace_.*",container!=""} or {__name__=~"socktrace_.*",unit!=""}) or vector(0)' 0
kill "$st_pid" "$prom_pid"
wait "$st_pid" "$prom_pid" 2>/dev/null
st_pid="" prom_pid=""

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

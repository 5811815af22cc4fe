# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellcheck shell=bash disable=SC2034 # its globals are read by the other parts
#
# bench/lib/web.sh: the loads of servers people run (issue 21): HTTP with a
# new connection per request (kind http) and with kept-alive connections
# (keepalive), nginx answering wrk; bulk TCP (bulk), iperf3. Client and
# server live in two network namespaces that web_up creates, joined by a veth
# pair (MTU 1500) whose addresses exist only inside them; web_down ends the
# servers and deletes both. Sourced by bench/run (reads W, WEB_SECS,
# WEB_WARMUP, WEB_CONNS; sets LOAD_PID for the cleanup and the L_* of one load);
# sources nothing.

WEB_NS_SRV=stbench-srv-$$ WEB_NS_CLI=stbench-cli-$$
WEB_SRV_IP=10.201.0.1 WEB_CLI_IP=10.201.0.2 WEB_PORT=8080 WEB_IPERF_PORT=5201
WEB_UP=0 NGINX_PID="" IPERF_PID=""

# the tools a kind of load needs that are missing here ("" when none)
web_missing() {	# kind
	local t miss=""
	case $1 in
	http|keepalive) for t in ip nginx wrk; do command -v "$t" >/dev/null 2>&1 || miss="$miss $t"; done ;;
	bulk) for t in ip iperf3; do command -v "$t" >/dev/null 2>&1 || miss="$miss $t"; done ;;
	esac
	echo "${miss# }"
}

web_nginx_conf() {	# dir
	local d=$1 t
	mkdir -p "$d/www" "$d/tmp"
	# a small static file (1 KiB)
	head -c 1024 /dev/zero | tr '\0' x >"$d/www/index.html"
	{
		echo "daemon off; master_process on; worker_processes 2;"
		echo "pid $d/nginx.pid; error_log $d/error.log warn;"
		echo "events { worker_connections 4096; }"
		echo "http {"
		echo "  access_log off; keepalive_requests 100000000; keepalive_timeout 60s;"
		for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $d/tmp/$t;"; done
		echo "  server { listen $WEB_SRV_IP:$WEB_PORT; location / { root $d/www; } }"
		echo "}"
	} >"$d/nginx.conf"
	# nginx's workers run as nobody: let them reach the file, not list W
	chmod o+x "$W" "$d"
	chmod o+rx "$d/www"
}

# waits (at most 10 s) until something accepts on the server's port $1
web_wait_port() {	# port
	local i
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$WEB_NS_CLI" timeout 1 bash -c "exec 3<>/dev/tcp/$WEB_SRV_IP/$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# The namespaces, the veth pair, nginx and the iperf3 server; returns 1 (with
# why on stderr) when any of it fails. web_down undoes whatever was done.
web_up() {	# need_nginx need_iperf (0|1)
	local s=$WEB_NS_SRV c=$WEB_NS_CLI d=$W/nginx
	ip netns add "$s" && WEB_UP=1 && ip netns add "$c" || return 1
	ip -n "$s" link set lo up && ip -n "$c" link set lo up &&
		ip -n "$s" link add vsrv type veth peer name vcli netns "$c" &&
		ip -n "$s" addr add "$WEB_SRV_IP/24" dev vsrv &&
		ip -n "$c" addr add "$WEB_CLI_IP/24" dev vcli &&
		ip -n "$s" link set vsrv mtu 1500 up && ip -n "$c" link set vcli mtu 1500 up || return 1
	# a connection per request: more client ports (this namespace only)
	ip netns exec "$c" sysctl -q -w net.ipv4.ip_local_port_range="1024 65000" || return 1
	if [ "$1" = 1 ]; then
		web_nginx_conf "$d"
		ip netns exec "$s" nginx -p "$d/" -c "$d/nginx.conf" -e "$d/error.log" 2>"$d/stderr" &
		NGINX_PID=$!
		web_wait_port "$WEB_PORT" || { echo "nginx did not start: $(cat "$d/stderr" "$d/error.log" 2>/dev/null | tail -n 1)" >&2; return 1; }
	fi
	if [ "$2" = 1 ]; then
		ip netns exec "$s" iperf3 -s -B "$WEB_SRV_IP" -p "$WEB_IPERF_PORT" >"$W/iperf3-server.log" 2>&1 &
		IPERF_PID=$!
		web_wait_port "$WEB_IPERF_PORT" || { echo "iperf3 -s did not start: $(tail -n 1 "$W/iperf3-server.log")" >&2; return 1; }
	fi
}

web_down() {
	local p
	for p in $NGINX_PID $IPERF_PID; do kill -TERM "$p" 2>/dev/null; done
	for p in $NGINX_PID $IPERF_PID; do
		timeout 5 tail --pid="$p" -f /dev/null 2>/dev/null || kill -KILL "$p" 2>/dev/null
	done
	NGINX_PID="" IPERF_PID=""
	if [ "$WEB_UP" = 1 ]; then
		ip netns del "$WEB_NS_SRV" 2>/dev/null
		ip netns del "$WEB_NS_CLI" 2>/dev/null
		WEB_UP=0
	fi
}

# the servers' CPU ticks (nginx's master and workers, or iperf3 -s)
web_server_ticks() {	# kind
	local p n=0 t
	if [ "$1" = bulk ]; then
		cpu_ticks "$IPERF_PID"
		return
	fi
	for p in "$NGINX_PID" $(cat "/proc/$NGINX_PID/task/$NGINX_PID/children" 2>/dev/null); do
		t=$(cpu_ticks "$p") && n=$((n + t))
	done
	echo "$n"
}

# WEB_CHILD_US: the CPU time (µs) of the processes this shell has waited for
# so far (run in this shell, not in a $(...): a subshell has its own)
web_children_us() {
	times >"$W/times"
	WEB_CHILD_US=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, m, /[ms]/); t += m[1] * 60 + m[2] }
		printf "%.0f", t * 1e6 }' "$W/times")
}

# wrk's latency figure ("1.23ms", "850.00us", "1.01s") in µs
web_us() { awk -v v="$1" 'BEGIN { u = v; sub(/^[0-9.]+/, "", u); n = v + 0
	printf "%.0f", n * (u == "s" ? 1e6 : u == "ms" ? 1e3 : u == "m" ? 6e7 : 1) }'; }

# WEB_CMD: the client's command line for a kind of load, its length
# (seconds) left for the caller to append
web_cmd() {	# kind
	case $1 in
	http) WEB_CMD=(wrk -t 2 -c "$WEB_CONNS" --timeout 2s --latency
		-H 'Connection: close' "http://$WEB_SRV_IP:$WEB_PORT/index.html" -d) ;;
	keepalive) WEB_CMD=(wrk -t 2 -c "$WEB_CONNS" --timeout 2s --latency
		"http://$WEB_SRV_IP:$WEB_PORT/index.html" -d) ;;
	bulk) WEB_CMD=(iperf3 -c "$WEB_SRV_IP" -p "$WEB_IPERF_PORT" -J --connect-timeout 2000 -t) ;;
	esac
}

# The same load for WEB_WARMUP seconds, not measured (run_one runs it once
# the tracer is attached, before its readings): every measured run starts
# from servers already busy, not from what the previous run's exit left.
web_warmup() {	# kind
	[ "$WEB_WARMUP" -gt 0 ] || return 0
	web_cmd "$1"
	timeout -k 2 $((WEB_WARMUP + 15)) ip netns exec "$WEB_NS_CLI" "${WEB_CMD[@]}" "$WEB_WARMUP" \
		>/dev/null 2>&1 &
	LOAD_PID=$!
	wait "$LOAD_PID"
	LOAD_PID=""
}

# One web load of WEB_SECS seconds. Sets L_ops (requests, or bytes), L_secs,
# L_rate (requests/s, or bits/s), L_user (the servers' CPU, µs), L_sys (the
# client's: wrk's or iperf3's, µs), L_p99 (µs, HTTP only), L_errs (wrk's
# socket errors and non-2xx answers), L_line; returns 1 when the load did
# not run.
web_load() {	# kind
	local kind=$1 rc t0 t1 c0 c1 out=$W/load.out line
	L_p99=- L_errs=- L_pid=-
	web_cmd "$kind"
	t0=$(web_server_ticks "$kind")
	web_children_us
	c0=$WEB_CHILD_US
	timeout -k 2 $((WEB_SECS + 15)) ip netns exec "$WEB_NS_CLI" "${WEB_CMD[@]}" "$WEB_SECS" \
		>"$out" 2>>"$W/loadgen.err" &
	LOAD_PID=$!
	wait "$LOAD_PID"
	rc=$?
	LOAD_PID=""
	web_children_us
	c1=$WEB_CHILD_US
	t1=$(web_server_ticks "$kind")
	L_user=$(( (t1 - t0) * 1000000 / CLK_TCK )) L_sys=$((c1 - c0))
	if [ "$kind" = bulk ]; then
		line=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
if "error" in d: print("error=" + d["error"].replace(" ", "_")); sys.exit()
r = d["end"]["sum_received"]
print("ops=%d secs=%.3f rate=%.0f" % (r["bytes"], r["seconds"], r["bits_per_second"]))' "$out" 2>&1)
		L_errs=0
	else
		line=$(awk '
			/requests in/ { ops = $1; secs = $4; sub(/s,$/, "", secs) }
			/^Requests\/sec:/ { rate = $2 }
			/^ +99%/ { p99 = $2 }
			/Socket errors:/ { gsub(/,/, ""); errs += $4 + $6 + $8 + $10 }
			/Non-2xx or 3xx responses:/ { errs += $5 }
			END { if (ops != "") printf "ops=%s secs=%s rate=%s p99=%s errs=%d", ops, secs, rate, p99, errs }' "$out")
	fi
	L_line=$line L_ops="" L_secs="" L_rate=""
	local kv
	for kv in $line; do
		case ${kv%%=*} in
		ops) L_ops=${kv#*=} ;;
		secs) L_secs=${kv#*=} ;;
		rate) L_rate=${kv#*=} ;;
		p99) L_p99=$(web_us "${kv#*=}") ;;
		errs) L_errs=${kv#*=} ;;
		esac
	done
	[ "$rc" = 0 ] && [ -n "$L_ops" ] && [ "$L_ops" -gt 0 ]
}

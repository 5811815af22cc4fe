#!/bin/bash
# Local peers: a server and a client, each under a comm of its own
# (tests/peers_traffic.py), over loopback (IPv4, IPv6) and across two network
# namespaces the test makes, joined by a veth pair with addresses that live only
# inside them (removed at the end, also on failure). The accept names the
# client, each close names the other end: pids and comms exact, in JSON and in
# the text stream; the client closes first in some, the server in others. A
# connection open before socktrace starts pairs too (the snapshot lists both
# ends; the open told second names the first). No traffic leaves loopback or
# those namespaces.
#   tests/peers.sh ./socktrace [ARGS...]     (ARGS to every socktrace: --backend B)
# Run it under the shared lock (flock /tmp/st-live.lock).
set -u
bin=$(realpath "${1:-./socktrace}")
shift
extra=("$@")
here=$(cd "$(dirname "$0")" && pwd)
traffic="$here/peers_traffic.py"
check_name=peers
. "$here/checks.sh"
tmp=$(mktemp -d)
pids=()
ns_s="st-peers-s-$$" ns_c="st-peers-c-$$"
veth_s="stps$$" veth_c="stpc$$"
net="10.200.$(($$ % 250))"	# a /30 that exists only inside the two namespaces

cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del "$ns_s" 2>/dev/null	# takes the veth pair with it
	ip netns del "$ns_c" 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"; [ -n "${KEEP:-}" ] && echo "kept $tmp"
}
trap cleanup EXIT

# start and stop
. "$here/start_socktrace.sh"

# one connection: NAME ADDR PORT FIRST [NETNS_SERVER NETNS_CLIENT], FIRST the
# end that closes first (client or server); leaves NAME.spid and NAME.cpid in
# $tmp. The server's comm is st-NAME-s, the client's st-NAME-c. With $go set,
# the client holds the connection until that file exists, in the background.
connection() {
	local name=$1 addr=$2 port=$3 first=$4 in_s=() in_c=() server client
	[ -n "${5:-}" ] && in_s=(ip netns exec "$5") && in_c=(ip netns exec "$6")
	"${in_s[@]}" python3 "$traffic" server "$addr" "$port" "st-$name-s" "$tmp/$name.spid" \
		"$first" &
	server=$!
	wait_file "$tmp/$name.spid" >/dev/null || { bad "$name: the server did not start"; return; }
	"${in_c[@]}" timeout 30 python3 "$traffic" client "$addr" "$port" "st-$name-c" \
		"$tmp/$name.cpid" "$first" ${go:+"$go"} &
	client=$!
	if [ -n "${go:-}" ]; then
		held=("$server" "$client")
		return
	fi
	wait "$client" || bad "$name: the client failed"
	wait "$server" || bad "$name: the server failed"
}

# the events of a connection, one line each: "event pid comm peer_pid peer_comm" ("-" absent)
events() {
	python3 - "$1" "$2" <<'PY'
import json, sys
path, port = sys.argv[1], int(sys.argv[2])
for line in open(path, encoding="latin-1"):
	try:
		e = json.loads(line)
	except ValueError:
		print("BADJSON", line.strip()); continue
	if e.get("proto") != "tcp" or port not in (e.get("lport"), e.get("rport")):
		continue
	if e["event"] == "listen":
		continue
	print(e["event"], e["pid"], e["comm"], e.get("peer_pid", "-"), e.get("peer_comm", "-"),
	      "existing" if e.get("existing") else "live")
PY
}

# NAME PORT: the accept names the client, each close the other end
check_json() {
	local name=$1 port=$2 spid cpid got kind=live
	spid=$(cat "$tmp/$name.spid") cpid=$(cat "$tmp/$name.cpid")
	got=$(events "$tmp/json" "$port")
	[ "$name" = old ] && kind=existing
	# a client that closes first may close before the server's accept() returns:
	# its close, streamed before the accept, names nobody yet (local_peers.c)
	local want_peer="$spid st-$name-s" at_accept at_close
	at_accept=$(echo "$got" | grep -n "^accept " | cut -d: -f1)
	at_close=$(echo "$got" | grep -n "^close $cpid " | cut -d: -f1)
	[ "$kind" = live ] && [ -n "$at_accept" ] && [ -n "$at_close" ] &&
		[ "$at_close" -lt "$at_accept" ] && want_peer="- -"
	check "$name client's close" "$(echo "$got" | grep "^close $cpid ")" \
		"close $cpid st-$name-c $want_peer $kind"
	check "$name server's close" "$(echo "$got" | grep "^close $spid ")" \
		"close $spid st-$name-s $cpid st-$name-c $kind"
	check "$name events" "$(echo "$got" | awk '{print $1}' | sort | tr '\n' ' ')" \
		"accept close close connect "
	if [ "$name" != old ]; then
		check "$name accept" "$(echo "$got" | grep "^accept ")" \
			"accept $spid st-$name-s $cpid st-$name-c live"
		return
	fi
	# found by the snapshot: the open told second names the one told first
	local second
	second=$(echo "$got" | grep -E "^(accept|connect) " | sed -n 2p)
	case "$second" in
	accept*) check "$name accept" "$second" \
		"accept $spid st-$name-s $cpid st-$name-c existing" ;;
	*) check "$name connect" "$second" \
		"connect $cpid st-$name-c $spid st-$name-s existing" ;;
	esac
}

# NAME PORT: the text stream's INFO, "peer=PID/COMM" on the same three lines
check_text() {
	local name=$1 port=$2 spid cpid
	spid=$(cat "$tmp/$name.spid") cpid=$(cat "$tmp/$name.cpid")
	check "$name text accept" \
		"$(grep -c -E "^\S+ $spid +st-$name-s +accept .*:$port .* peer=$cpid/st-$name-c\$" \
		"$tmp/text")" 1
	local server_close="$spid +st-$name-s +close .* peer=$cpid/st-$name-c"
	local client_close="$cpid +st-$name-c +close .* peer=$spid/st-$name-s"
	check "$name text closes" \
		"$(grep -c -E " (($server_close)|($client_close))( |\$)" "$tmp/text")" 2
}

# the two namespaces and their veth pair: server at .2, client at .1
ip netns add "$ns_s" && ip netns add "$ns_c" &&
	ip link add "$veth_s" type veth peer name "$veth_c" &&
	ip link set "$veth_s" netns "$ns_s" && ip link set "$veth_c" netns "$ns_c" &&
	ip -n "$ns_s" addr add "$net.2/30" dev "$veth_s" &&
	ip -n "$ns_c" addr add "$net.1/30" dev "$veth_c" &&
	ip -n "$ns_s" link set "$veth_s" up && ip -n "$ns_c" link set "$veth_c" up ||
	bad "can't make the network namespaces"

# five ports below the machine's ephemeral range: a port in it may be any
# connection's local port at any moment (a CI run failed once on 47104,
# "Address already in use")
read -r eph_lo _ </proc/sys/net/ipv4/ip_local_port_range
base=$((eph_lo - 1000 + $$ % 400))
[ "$base" -ge 1024 ] || { bad "no ports below the ephemeral range ($eph_lo)"; report; exit 1; }
# open before socktrace starts: the snapshot lists both ends
go="$tmp/go" held=()
connection old 127.0.0.1 $((base + 4)) client
wait_file "$tmp/old.cpid" >/dev/null || bad "old: the client did not connect"
sleep 0.3	# the server's accept() returns
go=""

start "$tmp/json" "$tmp/json.err" "${extra[@]}" -j || exit 1
start "$tmp/text" "$tmp/text.err" "${extra[@]}" || exit 1
start "$tmp/sum.json" "$tmp/sum.json.err" "${extra[@]}" --summary -j || exit 1
start "$tmp/sum" "$tmp/sum.err" "${extra[@]}" --summary || exit 1

touch "$tmp/go"
wait "${held[@]}" || bad "old: the client or the server failed"
connection v4 127.0.0.1 "$base" client
connection v6 ::1 $((base + 1)) server
connection ns "$net.2" $((base + 2)) client "$ns_s" "$ns_c"
connection nss "$net.2" $((base + 3)) server "$ns_s" "$ns_c"
sleep 0.5	# the last closes through the ring buffer

for p in "${pids[@]}"; do kill -INT "$p"; done
for p in "${pids[@]}"; do wait "$p" || bad "socktrace exited $?"; done
pids=()

check_json v4 "$base"
check_json v6 $((base + 1))
check_json ns $((base + 2))
check_json nss $((base + 3))
check_json old $((base + 4))
check_text v4 "$base"
check_text v6 $((base + 1))
check_text ns $((base + 2))
check_text nss $((base + 3))
# --summary: each end's row names the other, one connection
summary_json() {
	python3 - "$tmp/sum.json" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="latin-1"):
	e = json.loads(line)
	if e.get("event") == "summary" and e["pid"] == int(sys.argv[2]):
		print(" ".join("%d/%s:%d" % (p["pid"], p["comm"], p["connections"])
			       for p in e["local_peers"]))
PY
}
for name in v4 v6 ns nss old; do
	spid=$(cat "$tmp/$name.spid") cpid=$(cat "$tmp/$name.cpid")
	check "$name summary server" "$(summary_json "$spid")" "$cpid/st-$name-c:1"
	check "$name summary client" "$(summary_json "$cpid")" "$spid/st-$name-s:1"
	check "$name summary text" "$(grep -cE "^$spid +st-$name-s .* $cpid/st-$name-c:1\$" \
		"$tmp/sum")" 1
done
check "no evictions" "$(cat "$tmp"/*.err | grep -c 'local peers')" 0

report

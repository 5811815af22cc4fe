#!/bin/bash
# The real destination behind NAT: in a network namespace of its own, nftables
# DNAT rules on output send 192.0.2.10:80 (TCP) and 192.0.2.10:5000 (UDP), an
# address local to that namespace only, to servers on 127.0.0.1, and
# [2001:db8::10]:80 to [::1].
# The connect and the UDP flow must carry the asked destination as raddr and
# the real one as nat_raddr/nat_rport (text: nat=ADDR:PORT in INFO); the
# accept, and both closes, must name the other end through the NAT; a connect
# refused behind the NAT carries it too, then fails. A connect
# in the same namespace that no rule rewrites carries no nat keys. Exact
# values, from the rule the test wrote. No traffic leaves the namespace.
#   tests/nat.sh ./socktrace [ARGS...]     (ARGS to every socktrace: --backend B)
# Needs nft (Debian's nftables). Run it under the shared lock (flock /tmp/st-live.lock).
set -u
bin=$(realpath "${1:-./socktrace}")
shift
extra=("$@")
here=$(cd "$(dirname "$0")" && pwd)
traffic="$here/peers_traffic.py"
check_name=nat
. "$here/checks.sh"
tmp=$(mktemp -d)
pids=()
ns="st-nat-$$"
asked=192.0.2.10 asked6=2001:db8::10	# documentation addresses: on the namespace's lo only
port=$((48100 + $$ % 400)) uport=$((48600 + $$ % 400)) plain=$((49100 + $$ % 400))
port6=$((49600 + $$ % 400)) closed=$((50100 + $$ % 400))	# nothing listens on closed

cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"; [ -n "${KEEP:-}" ] && echo "kept $tmp"
}
trap cleanup EXIT

. "$here/start_socktrace.sh"

if ! command -v nft >/dev/null; then
	bad "nft is not installed (Debian's nftables: make deps)"
	report
	exit 1
fi

ip netns add "$ns" && ip -n "$ns" link set lo up &&
	ip -n "$ns" addr add "$asked/32" dev lo && ip -n "$ns" addr add "$asked6/128" dev lo nodad &&
	ip netns exec "$ns" nft -f - <<EOF || { bad "can't make the namespace and its DNAT rule"; exit 1; }
table ip st_nat {
	chain out {
		type nat hook output priority -100;
		ip daddr $asked tcp dport 80 dnat to 127.0.0.1:$port
		ip daddr $asked udp dport 5000 dnat to 127.0.0.1:$uport
		ip daddr $asked tcp dport 81 dnat to 127.0.0.1:$closed
	}
}
table ip6 st_nat6 {
	chain out {
		type nat hook output priority -100;
		ip6 daddr $asked6 tcp dport 80 dnat to [::1]:$port6
	}
}
EOF

start "$tmp/json" "$tmp/json.err" "${extra[@]}" -j || exit 1
start "$tmp/text" "$tmp/text.err" "${extra[@]}" || exit 1

# NAME BIND_ADDR BIND_PORT CONNECT_ADDR CONNECT_PORT: one connection, the server
# on BIND_ADDR:BIND_PORT, the client to CONNECT_ADDR:CONNECT_PORT; comms st-NAME-s/-c
connection() {
	local name=$1 server client
	ip netns exec "$ns" python3 "$traffic" server "$2" "$3" "st-$name-s" \
		"$tmp/$name.spid" client &
	server=$!
	wait_file "$tmp/$name.spid" >/dev/null || { bad "$name: the server did not start"; return; }
	ip netns exec "$ns" timeout 30 python3 "$traffic" client "$4" "$5" "st-$name-c" \
		"$tmp/$name.cpid" client || bad "$name: the client failed"
	wait "$server" || bad "$name: the server failed"
}
connection nat 127.0.0.1 "$port" "$asked" 80
connection nat6 ::1 "$port6" "$asked6" 80
connection plain 127.0.0.1 "$plain" 127.0.0.1 "$plain"
# refused behind the NAT: the connect carries the real destination, then fails
ip netns exec "$ns" timeout 30 python3 - "$asked" "$tmp/refused.pid" <<'PY' ||
import os, socket, sys
with open("/proc/self/comm", "w") as f:
	f.write("st-nat-refused")
open(sys.argv[2], "w").write(str(os.getpid()))
s = socket.socket()
s.settimeout(20)
try:
	s.connect((sys.argv[1], 81))
except ConnectionRefusedError:
	sys.exit(0)
sys.exit(1)
PY
	bad "refused: the connect was not refused"
# one datagram to the asked UDP address, received on the real one
ip netns exec "$ns" timeout 30 python3 - "$asked" "$uport" "$tmp/udp.pid" <<'PY' ||
import os, socket, sys
asked, real, pidfile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open("/proc/self/comm", "w") as f:
	f.write("st-nat-udp")
open(pidfile, "w").write(str(os.getpid()))
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.bind(("127.0.0.1", real))
r.settimeout(20)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"hello", (asked, 5000))
assert r.recv(16) == b"hello"
PY
	bad "udp: the datagram did not reach the real destination"
sleep 0.5	# the last closes through the ring buffer
for p in "${pids[@]}"; do kill -INT "$p"; done
for p in "${pids[@]}"; do wait "$p" || bad "socktrace exited $?"; done
pids=()

# the events of PID, one line each: event laddr:lport raddr:rport nat peer ("-" where absent)
events() {
	python3 - "$tmp/json" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="latin-1"):
	e = json.loads(line)
	if e["pid"] != int(sys.argv[2]) or e["event"] == "listen":
		continue
	nat = "%s:%d" % (e["nat_raddr"], e["nat_rport"]) if "nat_raddr" in e else "-"
	peer = "%d/%s" % (e["peer_pid"], e["peer_comm"]) if "peer_pid" in e else "-"
	print(e["event"], "%s:%d" % (e["laddr"], e["lport"]), "%s:%d" % (e["raddr"], e["rport"]),
	      nat, peer)
PY
}
spid=$(cat "$tmp/nat.spid") cpid=$(cat "$tmp/nat.cpid") upid=$(cat "$tmp/udp.pid")
client=$(events "$cpid" | awk '$1 == "connect" {print $2}')	# its local end, as the server sees it
check "the NATed client" "$(events "$cpid" | tr '\n' ';')" \
	"connect $client $asked:80 127.0.0.1:$port -;close $client $asked:80 - $spid/st-nat-s;"
check "its server" "$(events "$spid" | tr '\n' ';')" \
	"accept 127.0.0.1:$port $client - $cpid/st-nat-c;close 127.0.0.1:$port $client - $cpid/st-nat-c;"
s6=$(cat "$tmp/nat6.spid") c6=$(cat "$tmp/nat6.cpid")
client6=$(events "$c6" | awk '$1 == "connect" {print $2}')
check "the NATed IPv6 client" "$(events "$c6" | tr '\n' ';')" \
	"connect $client6 $asked6:80 ::1:$port6 -;close $client6 $asked6:80 - $s6/st-nat6-s;"
check "its IPv6 server" "$(events "$s6" | tr '\n' ';')" \
	"accept ::1:$port6 $client6 - $c6/st-nat6-c;close ::1:$port6 $client6 - $c6/st-nat6-c;"
rpid=$(cat "$tmp/refused.pid")
check "refused behind the NAT" "$(events "$rpid" | awk '{$2 = ""; print}' | tr '\n' ';')" \
	"connect  $asked:81 127.0.0.1:$closed -;fail  $asked:81 - -;"
# the flow out carries the NAT; the same process's flow in (its receiving socket on the
# real port) comes from the sender's end as the kernel delivered it, with no NAT of its own
uport_s=$(events "$upid" | awk '$1 == "udp" && $4 != "-" { sub(/.*:/, "", $2); print $2 }')
check "the UDP flows" "$(events "$upid" | awk '{$2 = ""; print}' | tr '\n' ';')" \
	"udp  $asked:5000 127.0.0.1:$uport -;udp  $asked:$uport_s - -;"
p_s=$(cat "$tmp/plain.spid") p_c=$(cat "$tmp/plain.cpid")
check "no NAT, no nat keys" "$(events "$p_c" | awk '{$2 = ""; print}' | tr '\n' ';')" \
	"connect  127.0.0.1:$plain - -;close  127.0.0.1:$plain - $p_s/st-plain-s;"
# text: nat= in INFO on the connect and the UDP flow, the accept's peer=
check "text connect" "$(grep -cE "^\S+ $cpid +st-nat-c +connect .* $asked:80 +- +nat=127\.0\.0\.1:$port\$" \
	"$tmp/text")" 1
check "text udp" "$(grep -cE "^\S+ $upid +st-nat-udp +udp .* $asked:5000 +- +nat=127\.0\.0\.1:$uport\$" \
	"$tmp/text")" 1
check "text accept" "$(grep -cE "^\S+ $spid +st-nat-s +accept .* peer=$cpid/st-nat-c\$" \
	"$tmp/text")" 1
check "text IPv6 connect" \
	"$(grep -cE "^\S+ $c6 +st-nat6-c +connect .* \[$asked6\]:80 +- +nat=\[::1\]:$port6\$" \
	"$tmp/text")" 1

report

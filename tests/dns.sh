#!/bin/bash
# -e dns in a private network namespace with a DNS server of our own
# (tests/dns_server.py on 127.0.0.1:53 there): a glibc lookup (through
# /etc/netns/NAME/resolv.conf) of a CNAME chain, a raw query on a connected
# UDP socket (as Go does), an NXDOMAIN and a malformed answer. Each answer
# must be a dns event with the asker's pid and exact fields; the malformed
# one is counted, not shown; after exit no dns_ingress program is left.
#   tests/dns.sh ./socktrace
set -u
bin=$(realpath "${1:-./socktrace}")
here=$(dirname "$(realpath "$0")")
ns=st-dns-$$ tmp=$(mktemp -d) passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL dns: $*"; }
cleanup() {
	[ -n "${srv:-}" ] && kill "$srv" 2>/dev/null
	[ -n "${st:-}" ] && kill "$st" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "/etc/netns/$ns" "$tmp"
}
trap cleanup EXIT

ip netns add "$ns" && ip -n "$ns" link set lo up || { echo "FAIL dns: no netns"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p "/etc/netns/$ns" && echo "nameserver 127.0.0.1" >"/etc/netns/$ns/resolv.conf"
ip netns exec "$ns" python3 "$here/dns_server.py" 127.0.0.1:53 www.test=CNAME:edge.cdn.test \
	edge.cdn.test=A:10.1.2.3,10.1.2.4/30 raw.test=A:10.9.9.9/5 bad.test=MALFORMED >"$tmp/srv" &
srv=$!
"$bin" -e dns -j >"$tmp/out" 2>"$tmp/err" &
st=$!
for _ in $(seq 100); do
	grep -q "^ready" "$tmp/srv" && grep -q "tracing with" "$tmp/err" && break
	sleep 0.1
done
cat >"$tmp/client.py" <<'PY'
import os, socket, struct, sys
print("glibc", os.getpid(), flush=True)
socket.getaddrinfo("www.test", 80, socket.AF_INET, socket.SOCK_STREAM)
for name in ("nope.test", "bad.test"):
    try:
        socket.getaddrinfo(name, 80, socket.AF_INET)
    except socket.gaierror:
        pass
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("127.0.0.1", 53))
q = struct.pack(">HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0) + b"\x03raw\x04test\x00" + struct.pack(">HH", 1, 1)
s.send(q)
s.recv(512)
PY
pid=$(ip netns exec "$ns" python3 "$tmp/client.py" | awk '{print $2}')
sleep 0.5
kill -INT "$st"; wait "$st"; st=
python3 - "$tmp/out" "$pid" <<'PY' && ok || bad "events: $(cat "$tmp/out")"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
pid = int(sys.argv[2])
def one(qname):
    got = [e for e in ev if e["qname"] == qname]
    assert len(got) == 1, (qname, got)
    e = got[0]
    assert e["event"] == "dns" and e["pid"] == pid and e["comm"] == "python3", e
    assert e["raddr"] == "127.0.0.1" and e["rport"] == 53 and e["laddr"] == "127.0.0.1", e
    assert "latency_ns" in e, e
    return e
w = one("www.test")
assert w["rcode"] == "NOERROR" and w["qtype"] == "A" and w["cnames"] == 1, w
assert w["answers"] == [{"addr": "10.1.2.3", "ttl": 30}, {"addr": "10.1.2.4", "ttl": 30}], w
n = one("nope.test")
assert n["rcode"] == "NXDOMAIN" and n["answers"] == [], n
r = one("raw.test")
assert r["id"] == 0x4242 and r["answers"] == [{"addr": "10.9.9.9", "ttl": 5}], r
assert not [e for e in ev if e["qname"] == "bad.test"], "malformed shown"
assert len(ev) == 3, ev
PY
grep -q "^socktrace: 4 DNS answers, 1 malformed (ignored)$" "$tmp/err" && ok ||
	bad "count line: $(cat "$tmp/err")"
bpftool prog show 2>/dev/null | grep -q dns_ingress && bad "dns_ingress left attached" || ok
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

#!/bin/bash
# -e dns in a private network namespace with a DNS server of our own
# (tests/dns_server.py on 127.0.0.1:53 there): a glibc lookup (through
# /etc/netns/NAME/resolv.conf) of a CNAME chain, a raw query on a connected
# UDP socket (as Go does), an NXDOMAIN, a malformed answer, and a name
# answered over UDP truncated (the TC bit) so that glibc asks again over TCP.
# Each answer
# must be a dns event with the asker's pid and exact fields; the malformed
# one is counted, not shown; after exit no dns_ingress program is left.
# Then --names alone: connects to the answered addresses (which live only in
# the namespace) carry the asked name as rname, the one answered over TCP too.
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
	[ -n "${sj:-}" ] && kill "$sj" 2>/dev/null
	[ -n "${lsn:-}" ] && kill "$lsn" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "/etc/netns/$ns" "$tmp"
}
trap cleanup EXIT

ip netns add "$ns" && ip -n "$ns" link set lo up || { echo "FAIL dns: no netns"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p "/etc/netns/$ns" && echo "nameserver 127.0.0.1" >"/etc/netns/$ns/resolv.conf"
# the answered addresses live only in the namespace, where a listener takes the connects
for a in 10.1.2.3 10.1.2.4 10.9.9.9 10.7.7.7 10.5.5.5; do ip -n "$ns" addr add "$a/32" dev lo; done
ip netns exec "$ns" python3 "$here/dns_server.py" 127.0.0.1:53 www.test=CNAME:edge.cdn.test \
	edge.cdn.test=A:10.1.2.3,10.1.2.4/30 raw.test=A:10.9.9.9/5 bad.test=MALFORMED \
	short.test=A:10.7.7.7/1 later.test=A:10.7.7.7/300 tcp.test=TC:10.5.5.5/60 >"$tmp/srv" &
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
socket.getaddrinfo("tcp.test", 80, socket.AF_INET, socket.SOCK_STREAM)
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
# tcp.test: truncated over UDP, then whole over TCP, both on the asker; the
# query over TCP is not seen (its connect is): no latency
t = [e for e in ev if e["qname"] == "tcp.test"]
assert [e["proto"] for e in t] == ["udp", "tcp"], t
for e in t:
    assert e["pid"] == pid and e["comm"] == "python3" and e["rcode"] == "NOERROR", e
    assert e["raddr"] == "127.0.0.1" and e["rport"] == 53 and e["laddr"] == "127.0.0.1", e
assert t[0]["answers"] == [] and t[0]["truncated"] is True and "latency_ns" in t[0], t
assert t[1]["answers"] == [{"addr": "10.5.5.5", "ttl": 60}], t
assert "truncated" not in t[1] and "latency_ns" not in t[1], t
assert t[1]["lport"] != t[0]["lport"], t
assert len(ev) == 5, ev
PY
grep -q "^socktrace: 6 DNS answers, 1 malformed (ignored)$" "$tmp/err" && ok ||
	bad "count line: $(cat "$tmp/err")"
bpftool prog show 2>/dev/null | grep -q dns_ingress && bad "dns_ingress left attached" || ok

# --names without -e dns: each connect to an answered address carries the asked name
# (rname), from a glibc lookup (a CNAME chain), a raw query on a connected UDP
# socket, and an address answered again for another name after a short TTL
cat >"$tmp/listen.py" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8053))
s.listen(16)
s.settimeout(20)
print("ready", flush=True)
for _ in range(16):
    try:
        s.accept()[0].close()
    except OSError:
        break
PY
cat >"$tmp/glibc.py" <<'PY'
import os, socket, time
def connect(name):
    addr = socket.getaddrinfo(name, 8053, socket.AF_INET, socket.SOCK_STREAM)[0][4]
    with socket.create_connection(addr, timeout=5):
        pass
    return addr[0]
print(os.getpid(), connect("www.test"), connect("short.test"), flush=True)
time.sleep(1.5)	# past short.test's TTL of 1 s: 10.7.7.7 is answered for later.test
print(connect("later.test"), flush=True)
PY
cat >"$tmp/raw.py" <<'PY'
import os, socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.connect(("127.0.0.1", 53))
s.send(struct.pack(">HHHHHH", 7, 0x0100, 1, 0, 0, 0) + b"\x03raw\x04test\x00" +
       struct.pack(">HH", 1, 1))
ans = s.recv(512)
addr = socket.inet_ntoa(ans[-4:])	# the one A record's data ends the answer
with socket.create_connection((addr, 8053), timeout=5):
    pass
print(os.getpid(), addr, flush=True)
PY
ip netns exec "$ns" python3 "$tmp/listen.py" >"$tmp/lsn" &
lsn=$!
"$bin" --names -e connect,close -j >"$tmp/out2" 2>"$tmp/err2" &
st=$!
for _ in $(seq 100); do
	grep -q "^ready" "$tmp/lsn" && grep -q "tracing with" "$tmp/err2" && break
	sleep 0.1
done
gpid=$(ip netns exec "$ns" python3 "$tmp/glibc.py" | tr '\n' ' ')
rpid=$(ip netns exec "$ns" python3 "$tmp/raw.py")
tpid=$(ip netns exec "$ns" python3 - <<'PY'
import os, socket
addr = socket.getaddrinfo("tcp.test", 8053, socket.AF_INET, socket.SOCK_STREAM)[0][4]
with socket.create_connection(addr, timeout=5):
    pass
print(os.getpid(), addr[0], flush=True)
PY
)
sleep 0.5
kill -INT "$st"; wait "$st"; st=
kill "$lsn" 2>/dev/null; wait "$lsn" 2>/dev/null
python3 - "$tmp/out2" "$gpid" "$rpid" "$tpid" <<'PY' && ok || bad "rname: $gpid/$rpid/$tpid $(cat "$tmp/out2")"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
gpid, www, short, later = sys.argv[2].split()
rpid, raw = sys.argv[3].split()
tpid, tcp = sys.argv[4].split()
assert (www, short, later, raw, tcp) == ("10.1.2.3", "10.7.7.7", "10.7.7.7", "10.9.9.9",
                                         "10.5.5.5"), sys.argv
assert not [e for e in ev if e["event"] == "dns"], "dns events without -e dns"
def names(pid, kind):
    return [(e["raddr"], e.get("rname")) for e in ev
            if e["pid"] == int(pid) and e["event"] == kind and e["rport"] == 8053]
want = [("10.1.2.3", "www.test"), ("10.7.7.7", "short.test"), ("10.7.7.7", "later.test")]
assert names(gpid, "connect") == want, names(gpid, "connect")
# a close is written when the socket reaches CLOSE, which for the side that closed
# first can come after its next connect: the closes in any order
assert sorted(names(gpid, "close")) == sorted(want), names(gpid, "close")
assert names(rpid, "connect") == [("10.9.9.9", "raw.test")], names(rpid, "connect")
# named by the answer that came over TCP
assert names(tpid, "connect") == [("10.5.5.5", "tcp.test")], names(tpid, "connect")
# only those addresses are named (the listener's closes too: their peer is the same address)
assert {e["raddr"] for e in ev if "rname" in e} == {www, short, raw, tcp}, "others named"
PY
grep -q "^socktrace: [0-9]* DNS answers, 0 malformed (ignored)$" "$tmp/err2" && ok ||
	bad "--names count line: $(cat "$tmp/err2")"

# --names with --summary: the busiest peers of a process name the address its
# lookup answered (www.test, 3 connects) and not the one it connected to unasked
# (10.9.9.9, 2), in JSON and in text (the busiest only, then how many more);
# the listener's accepts from those addresses likewise (its
# namespace's answers name them)
cat >"$tmp/busy.py" <<'PY'
import os, socket
addr = socket.getaddrinfo("www.test", 8053, socket.AF_INET, socket.SOCK_STREAM)[0][4]
for a in [addr] * 3 + [("10.9.9.9", 8053)] * 2:
    with socket.create_connection(a, timeout=5):
        pass
print(os.getpid(), addr[0], flush=True)
PY
ip netns exec "$ns" python3 "$tmp/listen.py" >"$tmp/lsn3" &
lsn=$!
"$bin" --names --summary -j >"$tmp/sum.json" 2>"$tmp/sum.json.err" &
sj=$!
"$bin" --names --summary >"$tmp/sum" 2>"$tmp/sum.err" &
st=$!
for _ in $(seq 100); do
	grep -q "^ready" "$tmp/lsn3" && grep -q "tracing with" "$tmp/sum.json.err" &&
		grep -q "tracing with" "$tmp/sum.err" && break
	sleep 0.1
done
read -r bpid baddr < <(ip netns exec "$ns" python3 "$tmp/busy.py")
sleep 0.5
kill -INT "$sj" "$st"; wait "$sj"; wait "$st"; st= sj=
kill "$lsn" 2>/dev/null; wait "$lsn" 2>/dev/null; lsn=
python3 - "$tmp/sum.json" "$bpid" "$baddr" <<'PY' && ok || bad "summary peers: $bpid $(cat "$tmp/sum.json")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
pid, addr = int(sys.argv[2]), sys.argv[3]
assert addr == "10.1.2.3", addr
mine = [r for r in rows if r.get("event") == "summary" and r["pid"] == pid]
assert len(mine) == 1, mine
# and its lookup: the answer it received (a UDP flow in: from the address, any port)
# and its datagram to the server (a UDP peer, unnamed)
want = [{"raddr": "10.1.2.3", "rport": 8053, "sockets": 3, "rname": "www.test"},
        {"raddr": "10.9.9.9", "rport": 8053, "sockets": 2},
        {"raddr": "127.0.0.1", "rport": 0, "sockets": 1},
        {"raddr": "127.0.0.1", "rport": 53, "sockets": 1}]
assert mine[0]["busiest_peers"] == want, mine[0]
# the listener: its clients by address alone (rport 0), the same names
srv = [r for r in rows if r.get("event") == "summary" and r["comm"] == "python3" and
       r["accepts"] == 5]
assert len(srv) == 1, srv
want = [{"raddr": "10.1.2.3", "rport": 0, "sockets": 3, "rname": "www.test"},
        {"raddr": "10.9.9.9", "rport": 0, "sockets": 2}]
assert srv[0]["busiest_peers"] == want, srv[0]
PY
grep -qE "^$bpid +python3 .* 3@www\.test:8053,\+3 +[0-9]+/python3:5\$" "$tmp/sum" && ok ||
	bad "summary text: $bpid $(cat "$tmp/sum")"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

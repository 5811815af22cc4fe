#!/usr/bin/env python3
"""socktrace --snapshot against ss -tuan, in the private network namespace this runs in
(tests/snapshot.sh starts it under unshare -n): the same sockets, 5-tuples and states,
with 800 and more of them (the snapshot's records take many reads).
Sockets no process holds (the CLOSE-WAIT's peer in FIN-WAIT-2) socktrace counts but does
not stream: those rows of ss are left out, and socktrace must have counted them."""
import json, os, socket, subprocess, sys, time

st = sys.argv[1]
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
keep = []
def tcp_pair(fam, addr, lst):
    c = socket.create_connection((addr, lst.getsockname()[1]))
    a, _ = lst.accept()
    keep.extend([c, a])
    return c, a
for fam, addr, port in ((socket.AF_INET, "127.0.0.1", 15000), (socket.AF_INET6, "::1", 15001)):
    l = socket.socket(fam, socket.SOCK_STREAM)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((addr, port)); l.listen(8); keep.append(l)
    for i in range(3):
        tcp_pair(fam, addr, l)
# more than the kernel's seq buffer (32 KiB) holds of records: the snapshot reads many times
many = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
many.bind(("127.0.0.1", 15002)); many.listen(64); keep.append(many)
for i in range(400):
    tcp_pair(socket.AF_INET, "127.0.0.1", many)
c, a = tcp_pair(socket.AF_INET, "127.0.0.1", keep[0])
c.close()                       # a: CLOSE-WAIT, c: FIN-WAIT-2 held by nobody
keep.remove(c)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 15353)); keep.append(u)
u2 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u2.bind(("::1", 15354))
u2.connect(("::1", 15353 + 1)); keep.append(u2)
time.sleep(0.2)

def ep(addr, port, fam):
    a = "[%s]" % addr if fam == 6 else addr
    return "%s:%s" % (a, port if port else "*")

ss = set()
unheld = 0
for line in subprocess.run(["ss", "-tuanH"], capture_output=True, text=True, check=True).stdout.splitlines():
    f = line.split()
    proto, state, local, peer = f[0], f[1], f[4], f[5]
    if state in ("TIME-WAIT", "FIN-WAIT-2"):
        unheld += 1
        continue
    ss.add((proto, state, local, peer))

netns = os.stat("/proc/self/ns/net").st_ino
r = subprocess.run([st, "--snapshot", "-j"], capture_output=True, text=True)
got = set()
for line in r.stdout.splitlines():
    e = json.loads(line)
    if e["netns"] != netns:
        continue
    peer = ep(e["raddr"], e["rport"], e["family"]) if e["rport"] else ("[::]:*" if e["family"] == 6 else "0.0.0.0:*")
    got.add((e["proto"], e["state"], ep(e["laddr"], e["lport"], e["family"]), peer))

passed = failed = 0
def check(ok, what):
    global passed, failed
    print(("PASS " if ok else "FAIL ") + what)
    if ok: passed += 1
    else: failed += 1
check(r.returncode == 0, "socktrace --snapshot exits 0 (%s)" % r.stderr.strip().replace("\n", "; ")[:300])
check(len(ss) == 818, "ss shows the 818 held sockets made here (%d)" % len(ss))
check(got == ss, "the same sockets, 5-tuples and states as ss -tuan; only ss: %s; only socktrace: %s"
      % (sorted(ss - got), sorted(got - ss)))
check(unheld == 1 and "FIN-WAIT-2" in r.stderr, "the unheld FIN-WAIT-2 is counted, not streamed")
# the filters apply to what no process holds: its ports, and no process filter can match it
def unheld_line(*args):
    r = subprocess.run([st, "--snapshot", "-j"] + list(args), capture_output=True, text=True)
    return r.returncode, [l for l in r.stderr.splitlines() if "held by no process" in l]
rc, lines = unheld_line("-P", "15000")
check(rc == 0 and len(lines) == 1 and "FIN-WAIT-2 1" in lines[0],
      "-P 15000 counts the unheld FIN-WAIT-2 (its peer's port): %s" % lines)
rc, lines = unheld_line("-P", "15002")
check(rc == 0 and not any("FIN-WAIT-2" in l for l in lines),
      "-P 15002 leaves the unheld FIN-WAIT-2 out: %s" % lines)
rc, lines = unheld_line("-p", "1")
check(rc == 0 and lines == [], "-p 1 counts no socket that no process holds: %s" % lines)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)

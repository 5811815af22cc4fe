#!/usr/bin/env python3
# Known traffic from processes in known cgroups, for tests/identity.sh. Each
# actor is a child that first moves itself into its cgroup (writes its pid to
# cgroup.procs), then does its part; prints the children's pids.
#   identity_traffic.py tcp SERVER_CGROUP CLIENT_CGROUP PORT
#       a server and a client over 127.0.0.1: listen, connect, accept, one byte
#       back, then the client resets the connection (SO_LINGER 0), so the
#       server's close happens in softirq, in the client's context
#   identity_traffic.py udp CGROUP PORT
#       one datagram to 127.0.0.1:PORT
# Prints "server_pid client_pid" or "pid".
import os, socket, struct, sys

def move(cg):
    with open(os.path.join(cg, "cgroup.procs"), "w") as f:
        f.write(str(os.getpid()))

def child(fn):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            fn(w)
            os._exit(0)
        except BaseException as e:
            sys.stderr.write("identity_traffic: %r\n" % (e,))
            os._exit(1)
    os.close(w)
    return pid, r

def wait_all(pids):
    ok = True
    for p in pids:
        _, st = os.waitpid(p, 0)
        ok = ok and os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0
    return ok

def tcp(srv_cg, cli_cg, port):
    def server(w):
        move(srv_cg)
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(1)
        os.write(w, b"L")
        a, _ = s.accept()
        a.sendall(b"x")
        try:
            a.recv(1)	# the client's reset
        except ConnectionResetError:
            pass
        a.close()
        s.close()
    def client(w):
        move(cli_cg)
        c = socket.create_connection(("127.0.0.1", port))
        if c.recv(1) != b"x":
            raise RuntimeError("no byte from the server")
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
    spid, sr = child(server)
    if os.read(sr, 1) != b"L":
        sys.exit("identity_traffic: the server did not listen")
    cpid, _ = child(client)
    if not wait_all([cpid, spid]):
        sys.exit(1)
    print(spid, cpid)

def udp(cg, port):
    def sender(w):
        move(cg)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.sendto(b"ping", ("127.0.0.1", port))
        u.close()
    pid, _ = child(sender)
    if not wait_all([pid]):
        sys.exit(1)
    print(pid)

if sys.argv[1] == "tcp":
    tcp(sys.argv[2], sys.argv[3], int(sys.argv[4]))
elif sys.argv[1] == "udp":
    udp(sys.argv[2], int(sys.argv[3]))
else:
    sys.exit("identity_traffic: tcp or udp")

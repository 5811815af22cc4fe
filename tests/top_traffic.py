#!/usr/bin/env python3
# Known traffic on loopback for tests/top.sh, from processes with known names
# (prctl(PR_SET_NAME)); each actor's numbers differ, so that every sort key of
# --top puts another one first:
#   st-top-srv    a listener: 4 accepts, each closed at once      (accepts)
#   st-top-cli    4 connects to it, held open until stdin closes  (open)
#   st-top-fail   6 connects to a closed port, refused            (connects, fails)
#   st-top-bytes  1 connect to its own listener, 256 KiB each way (bytes)
# Prints "ready", then "held LPORT RPORT" for each held connection, then
# waits for stdin to close (the client's connections stay open till then).
#   late NAME     one connect to its own listener, then exit: traffic while paused
import ctypes
import os
import socket
import sys


def name(comm):
    ctypes.CDLL(None).prctl(15, comm.encode()[:15], 0, 0, 0)  # PR_SET_NAME


def child(comm, fn, *args):
    pid = os.fork()
    if pid == 0:
        name(comm)
        try:
            fn(*args)
        finally:
            os._exit(0)
    return pid


def server(ls, n):
    for _ in range(n):
        c, _ = ls.accept()
        c.close()


def client(port, n, w):
    held = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        held.append(s)
        os.write(w, b"held %d %d\n" % (s.getsockname()[1], port))
    os.close(w)
    sys.stdin.read()  # until the test closes our stdin


def refused(n):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]  # bound, never listening: refused
    for _ in range(n):
        s = socket.socket()
        try:
            s.connect(("127.0.0.1", port))
        except ConnectionRefusedError:
            pass
        s.close()
    closed.close()


def pair_bytes(n):
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    c = socket.create_connection(ls.getsockname())
    a, _ = ls.accept()
    data = b"x" * n
    for x, y in ((c, a), (a, c)):
        x.sendall(data)
        got = 0
        while got < n:
            got += len(y.recv(n - got))
    c.close()
    a.close()
    ls.close()


def main():
    if sys.argv[1:2] == ["late"]:
        name(sys.argv[2])
        pair_bytes(1)
        return
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(8)
    port = ls.getsockname()[1]
    srv = child("st-top-srv", server, ls, 4)
    r, w = os.pipe()
    cli = child("st-top-cli", client, port, 4, w)
    os.close(w)
    held = os.fdopen(r).read()
    os.waitpid(srv, 0)
    os.waitpid(child("st-top-fail", refused, 6), 0)
    os.waitpid(child("st-top-bytes", pair_bytes, 256 * 1024), 0)
    sys.stdout.write("ready\n" + held)
    sys.stdout.flush()
    os.waitpid(cli, 0)


main()

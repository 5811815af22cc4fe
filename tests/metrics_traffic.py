#!/usr/bin/env python3
# Known traffic on loopback from processes with known names (comm, set with
# prctl(PR_SET_NAME), for tests/metrics.sh:
#   tcp SRV CLI N     N connects from a process named CLI to a listener named
#                     SRV; on each the client sends 100 bytes, the server 50
#   refused NAME      one connect from NAME to a closed port
#   names PREFIX N    N processes PREFIX0..PREFIX<N-1>, one connect each
#   udp NAME N SIZE RX  a process named NAME sends N datagrams of SIZE bytes to a
#                     local UDP socket, which a process named RX then reads
import ctypes
import os
import socket
import sys


def name(comm):
    ctypes.CDLL(None).prctl(15, comm.encode()[:15], 0, 0, 0)  # PR_SET_NAME


def recv_exactly(sock, n):
    got = 0
    while got < n:
        d = sock.recv(n - got)
        if not d:
            break
        got += len(d)


def tcp(srv, cli, n):
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    port = ls.getsockname()[1]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the server, named before it listens and accepts
        name(srv)
        ls.listen(16)
        os.write(w, b"x")
        for _ in range(n):
            c, _ = ls.accept()
            recv_exactly(c, 100)
            c.sendall(b"s" * 50)
            c.close()
        os._exit(0)
    ls.close()
    os.read(r, 1)
    name(cli)
    for _ in range(n):
        c = socket.create_connection(("127.0.0.1", port))
        c.sendall(b"c" * 100)
        recv_exactly(c, 50)
        c.close()
    os.waitpid(pid, 0)


def refused(comm):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # bound, never listened: nothing listens on port now
    name(comm)
    try:
        socket.create_connection(("127.0.0.1", port)).close()
    except ConnectionRefusedError:
        return
    sys.exit("connect to a closed port did not fail")


def names(prefix, n):
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    port = ls.getsockname()[1]
    for i in range(n):
        pid = os.fork()
        if pid == 0:
            name("%s%d" % (prefix, i))
            socket.create_connection(("127.0.0.1", port)).close()
            os._exit(0)
        os.waitpid(pid, 0)
        ls.accept()[0].close()


def udp(comm, n, size, rx_comm):
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    pid = os.fork()
    if pid == 0:  # the sender, named before it sends
        name(comm)
        tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _ in range(n):
            tx.sendto(b"u" * size, rx.getsockname())
        os._exit(0)
    os.waitpid(pid, 0)
    pid = os.fork()
    if pid == 0:  # the reader, named before it reads
        name(rx_comm)
        rx.settimeout(5)
        for _ in range(n):
            if len(rx.recv(size + 1)) != size:
                os._exit(1)  # a datagram of the wrong size
        os._exit(0)
    if os.waitpid(pid, 0)[1] != 0:
        sys.exit("the reader failed")


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "tcp":
        tcp(args[0], args[1], int(args[2]))
    elif mode == "refused":
        refused(args[0])
    elif mode == "udp":
        udp(args[0], int(args[1]), int(args[2]), args[3])
    elif mode == "names":
        names(args[0], int(args[1]))
    else:
        sys.exit("unknown mode " + mode)

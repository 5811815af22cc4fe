#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""A tiny authoritative DNS server for the DNS tests, on UDP and TCP ADDR:PORT.

Zone lines (one argument each):
  NAME=A:ADDR[,ADDR...][/TTL]     A or AAAA records (an address with ':' is AAAA)
  NAME=CNAME:TARGET[/TTL]         a CNAME; the answer carries the chain and its end
  NAME=NXDOMAIN                   rcode 3
  NAME=MALFORMED                  an answer whose A record says 5 bytes of data
  NAME=TC:ADDR[,ADDR...][/TTL]    A records over TCP; over UDP an empty answer
                                  with the TC bit (so the resolver asks again
                                  over TCP)
Any other name: NXDOMAIN. Names compare without case. Over TCP each message
is read and written with its 2-byte length, the answer in one write (one
segment on loopback). It answers until killed, and writes "ready" on stdout
once bound.
"""
import select
import socket
import struct
import sys


def wire_name(name):
    out = b""
    for label in name.strip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def parse_zone(args):
    zone = {}
    for arg in args:
        name, spec = arg.split("=", 1)
        ttl = 300
        if "/" in spec:
            spec, t = spec.rsplit("/", 1)
            ttl = int(t)
        kind, _, value = spec.partition(":")
        zone[name.lower().strip(".")] = (kind, value, ttl)
    return zone


def read_question(msg):
    off, labels = 12, []
    while msg[off]:
        n = msg[off]
        labels.append(msg[off + 1:off + 1 + n].decode(errors="replace"))
        off += 1 + n
    off += 1
    qtype, = struct.unpack(">H", msg[off:off + 2])
    return ".".join(labels).lower(), qtype, msg[12:off + 4]


def record(name, rtype, ttl, data):
    return wire_name(name) + struct.pack(">HHIH", rtype, 1, ttl, len(data)) + data


def answer(zone, msg, tcp=False):
    qid, = struct.unpack(">H", msg[:2])
    qname, qtype, question = read_question(msg)
    rcode, records, name, flags = 0, [], qname, 0x8580
    for _ in range(8):
        kind, value, ttl = zone.get(name, ("NXDOMAIN", "", 0))
        if kind == "TC":
            if not tcp:
                flags |= 0x0200	# truncated: ask over TCP
                break
            kind = "A"
        if kind == "CNAME":
            records.append(record(name, 5, ttl, wire_name(value)))
            name = value.lower()
            continue
        if kind == "A":
            for addr in value.split(","):
                v6 = ":" in addr
                if (qtype == 28) == v6:
                    fam = socket.AF_INET6 if v6 else socket.AF_INET
                    records.append(record(name, 28 if v6 else 1, ttl, socket.inet_pton(fam, addr)))
        elif kind == "MALFORMED":
            records.append(record(name, 1, ttl, b"\x0a\0\0\x01\x05"))
        else:
            rcode = 3
        break
    head = struct.pack(">HHHHHH", qid, flags | rcode, 1, len(records), 0, 0)
    return head + question + b"".join(records)


def read_exactly(conn, n):
    data = b""
    while len(data) < n:
        part = conn.recv(n - len(data))
        if not part:
            return None
        data += part
    return data


def serve_tcp(zone, conn):
    """the queries of one connection, each answered in one write, until it closes
    (at most 16, each within 5 s)"""
    conn.settimeout(5)
    with conn:
        for _ in range(16):
            try:
                head = read_exactly(conn, 2)
                msg = head and read_exactly(conn, struct.unpack(">H", head)[0])
                if not msg:
                    return
                reply = answer(zone, msg, tcp=True)
                conn.sendall(struct.pack(">H", len(reply)) + reply)
            except (OSError, IndexError, struct.error, ValueError):
                return


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    zone = parse_zone(sys.argv[2:])
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    addr = (host.strip("[]"), int(port))
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind(addr)
    t = socket.socket(fam, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(addr)
    t.listen(16)
    print("ready", flush=True)
    while True:
        ready, _, _ = select.select([s, t], [], [])
        if t in ready:
            serve_tcp(zone, t.accept()[0])
        if s in ready:
            msg, peer = s.recvfrom(4096)
            try:
                s.sendto(answer(zone, msg), peer)
            except (IndexError, struct.error, ValueError):
                pass


if __name__ == "__main__":
    main()

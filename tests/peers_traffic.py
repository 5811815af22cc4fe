#!/usr/bin/env python3
# One end of a TCP connection for tests/peers.sh, under a comm of its own:
#   peers_traffic.py server ADDR PORT COMM PIDFILE FIRST
#       accept one client and read its 5 bytes
#   peers_traffic.py client ADDR PORT COMM PIDFILE FIRST [GOFILE]
#       connect and send 5 bytes; with GOFILE, hold the connection open until
#       that file exists
# FIRST, "client" or "server", closes first: the other reads to EOF, then closes.
# Each writes its pid to PIDFILE (the test names processes by it). Every wait
# is bounded: 20 s at most, then it gives up.
import os, socket, sys, time

role, addr, port, comm, pidfile, first = sys.argv[1:7]
port = int(port)
with open("/proc/self/comm", "w") as f:		# the name events carry
	f.write(comm)
with open(pidfile + ".tmp", "w") as f:		# written whole, then renamed: ready
	f.write(str(os.getpid()))
s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(20)


def end(c):
	if first != role:
		while c.recv(4096):
			pass
	c.close()


if role == "server":
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	s.bind((addr, port))
	s.listen(1)
	os.rename(pidfile + ".tmp", pidfile)
	c, _ = s.accept()
	c.settimeout(20)
	got = b""
	while len(got) < 5:
		more = c.recv(5 - len(got))
		if not more:
			break
		got += more
	end(c)
else:
	go = sys.argv[7] if len(sys.argv) > 7 else None
	s.connect((addr, port))
	os.rename(pidfile + ".tmp", pidfile)
	s.sendall(b"hello")
	deadline = time.monotonic() + 20
	while go and not os.path.exists(go) and time.monotonic() < deadline:
		time.sleep(0.05)
	end(s)
s.close()

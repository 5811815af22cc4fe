// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "existing_world.h"
#include "net.h"
#include "util.h"

static void name(const char *comm)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, comm);
}

static void put(int fd, const void *p, size_t n)
{
	if (write(fd, p, n) != (ssize_t)n)
		die("world: write");
}

static void get(int fd, void *p, size_t n)
{
	if (read(fd, p, n) != (ssize_t)n)
		die("world: read");
}

static int tcp_listen(unsigned port, int backlog)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(AF_INET, "127.0.0.1", port, &ss);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, sl) || listen(fd, backlog))
		die("world: listen on %u", port);
	return fd;
}

/* a connection to 127.0.0.1:port from local port from (0: any); its local port in *lport */
static int tcp_connect(unsigned port, unsigned from, unsigned *lport)
{
	struct sockaddr_storage ss, me;
	socklen_t sl = make_addr(AF_INET, "127.0.0.1", port, &ss), ml = sizeof(me);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("world: socket");
	if (from) {
		struct sockaddr_storage src;
		socklen_t srcl = make_addr(AF_INET, "127.0.0.1", from, &src);

		if (bind(fd, (struct sockaddr *)&src, srcl))
			die("world: bind to port %u", from);
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) || getsockname(fd, (struct sockaddr *)&me, &ml))
		die("world: connect to %u", port);
	*lport = ntohs(((struct sockaddr_in *)&me)->sin_port);
	return fd;
}

static void read_to_eof(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/*
 * The textbook's server: a listener held by it and two workers it forks,
 * a UDP socket, three accepted connections (the third left in CLOSE-WAIT).
 * Reports the workers' pids, then a byte once the third is in CLOSE-WAIT.
 */
static void __attribute__((noreturn)) server(int rdy, int end)
{
	int l, u, a[3], hold[2];
	pid_t workers[2];
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(AF_INET, "127.0.0.1", EX_UDP_PORT, &ss);
	struct pollfd p;
	char b;

	name("ex-server");
	l = tcp_listen(EX_PORT, 16);
	if (pipe(hold))
		die("world: pipe");
	for (int i = 0; i < 2; i++) {
		workers[i] = fork();
		if (workers[i] == 0) {	/* a pre-fork worker: holds the listener only */
			name("ex-worker");
			close(hold[1]);
			close(rdy);
			(void)!read(hold[0], &b, 1);
			_exit(0);
		}
	}
	close(hold[0]);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	if (u < 0 || bind(u, (struct sockaddr *)&ss, sl))
		die("world: udp bind");
	put(rdy, workers, sizeof(workers));
	for (int i = 0; i < 3; i++)
		if ((a[i] = accept(l, NULL, NULL)) < 0)
			die("world: accept");
	p = (struct pollfd){ .fd = a[2], .events = POLLRDHUP };
	if (poll(&p, 1, 10000) != 1)
		die("world: the third connection did not reach CLOSE-WAIT");
	put(rdy, "b", 1);
	read_to_eof(a[0]);
	read_to_eof(a[1]);
	close(a[0]);
	close(a[1]);
	get(end, &b, 1);
	close(a[2]);
	close(u);
	close(l);
	close(hold[1]);
	for (int i = 0; i < 2; i++)
		waitpid(workers[i], NULL, 0);
	_exit(0);
}

/* The textbook's client: two connections with bytes before and after the go, one closed. */
static void __attribute__((noreturn)) client(int rdy, int go)
{
	unsigned ports[3];
	int c[3];
	char b;

	name("ex-client");
	for (int i = 0; i < 3; i++)
		c[i] = tcp_connect(EX_PORT, 0, &ports[i]);
	send_all(c[0], EX_N1);
	send_all(c[1], EX_M1);
	close(c[2]);
	put(rdy, ports, sizeof(ports));
	get(go, &b, 1);
	send_all(c[0], EX_N2);
	send_all(c[1], EX_M2);
	close(c[0]);
	close(c[1]);
	_exit(0);
}

static void __attribute__((noreturn)) textbook(int info, int go)
{
	int rs[2], rc[2], end[2], status;
	struct ex_world w = {};
	struct stat st;
	char b;

	if (pipe(rs) || pipe(rc) || pipe(end))
		die("world: pipe");
	if (stat("/proc/self/ns/net", &st))
		die("world: stat netns");
	w.netns = st.st_ino;
	if ((w.server = fork()) == 0)
		server(rs[1], end[0]);
	get(rs[0], w.workers, sizeof(w.workers));
	if ((w.client = fork()) == 0)
		client(rc[1], go);
	get(rc[0], w.ports, sizeof(w.ports));
	get(rs[0], &b, 1);
	put(info, &w, sizeof(w));
	if (waitpid(w.client, &status, 0) != w.client || !WIFEXITED(status) || WEXITSTATUS(status))
		_exit(96);
	put(end[1], "e", 1);
	if (waitpid(w.server, &status, 0) != w.server || !WIFEXITED(status) || WEXITSTATUS(status))
		_exit(95);
	tcp_settle();
	_exit(0);
}

/*
 * The storm's server: accepts everything on listener l, closes each
 * connection at its EOF, until done is readable and nothing is left open.
 */
static void __attribute__((noreturn)) storm_server(int l, int done)
{
	struct pollfd p[2 + 4 * EX_STORM_OPEN];
	int n = 2;
	bool ending = false;

	name("ex-stormsrv");
	fcntl(l, F_SETFL, O_NONBLOCK);
	p[0] = (struct pollfd){ .fd = l, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = done, .events = POLLIN };
	for (;;) {
		if (poll(p, (nfds_t)n, 1000) < 0 && errno != EINTR)
			die("world: poll");
		if (p[1].revents) {
			ending = true;
			p[1].fd = -1;
		}
		for (int i = 2; i < n; i++) {
			char buf[512];

			if (!p[i].revents || read(p[i].fd, buf, sizeof(buf)) > 0)
				continue;
			close(p[i].fd);
			p[i--] = p[--n];
		}
		int a = n < (int)(sizeof(p) / sizeof(p[0])) ? accept(l, NULL, NULL) : -1;

		if (a >= 0)
			p[n++] = (struct pollfd){ .fd = a, .events = POLLIN };
		else if (ending && n == 2)
			_exit(0);
	}
}

/*
 * The storm's client: a pool of EX_STORM_POOL connections open from the
 * start to the end; EX_STORM_OPEN more open at all times (a new one, then
 * the oldest closed), each from its own port, until EX_STORM_AFTER more once
 * the go byte came. Its ports at the end, on res, flagged EX_MADE_*.
 * Until the go byte, one new connection per EX_STORM_PACE_US at the most:
 * unpaced, a slow VM's socktrace start used up the ports (the storm then
 * failed the scenario). Should the ports still run out first, the storm
 * holds what is open and waits for the go byte: a slower start is no failure.
 */
static void __attribute__((noreturn)) storm_client(int rdy, int go, int res)
{
	static unsigned made[EX_STORM_MAX];
	int open_fd[EX_STORM_OPEN], pool[EX_STORM_POOL];
	unsigned n = 0, after = 0, said = 0;
	bool going = false;

	name("ex-stormcli");
	for (int i = 0; i < EX_STORM_OPEN; i++)
		open_fd[i] = -1;
	for (int i = 0; i < EX_STORM_POOL; i++) {	/* open until the end: existing for sure */
		unsigned port;

		pool[i] = tcp_connect(EX_STORM_PORT, EX_STORM_FROM + n, &port);
		made[n++] = port | EX_MADE_POOL;
	}
	fcntl(go, F_SETFL, O_NONBLOCK);
	while (!going || after < EX_STORM_AFTER) {
		unsigned port;
		int slot = (int)(n % EX_STORM_OPEN);
		char b;

		if (!going && n == EX_STORM_MAX - EX_STORM_AFTER) {	/* the end needs its ports */
			fcntl(go, F_SETFL, 0);
			if (read(go, &b, 1) != 1)
				die("world: no go byte");
			going = true;
		}
		if (!going && read(go, &b, 1) == 1)
			going = true;
		if (!going && n >= 4 * EX_STORM_OPEN)
			usleep(EX_STORM_PACE_US);
		if (open_fd[slot] >= 0)
			close(open_fd[slot]);
		open_fd[slot] = tcp_connect(EX_STORM_PORT, EX_STORM_FROM + n, &port);
		made[n++] = port | (going ? EX_MADE_AFTER : 0);
		after += going;
		if (!said && n == 4 * EX_STORM_OPEN) {
			said = 1;
			put(rdy, &n, sizeof(n));
		}
	}
	for (int i = 0; i < EX_STORM_OPEN; i++)
		close(open_fd[i]);
	for (int i = 0; i < EX_STORM_POOL; i++)
		close(pool[i]);
	put(res, made, n * sizeof(made[0]));
	_exit(0);
}

static void __attribute__((noreturn)) storm(int info, int go, int res)
{
	int rdy[2], done[2], status;
	struct ex_world w = {};
	struct stat st;
	pid_t srv;

	if (pipe(rdy) || pipe(done))
		die("world: pipe");
	if (stat("/proc/self/ns/net", &st))
		die("world: stat netns");
	w.netns = st.st_ino;
	/* listening before the client starts (it connects at once); held by the server alone */
	int l = tcp_listen(EX_STORM_PORT, 128);

	if ((srv = fork()) == 0)
		storm_server(l, done[0]);
	close(l);
	w.server = srv;
	if ((w.client = fork()) == 0)
		storm_client(rdy[1], go, res);
	close(res);
	get(rdy[0], &w.storm_made, sizeof(w.storm_made));
	put(info, &w, sizeof(w));
	if (waitpid(w.client, &status, 0) != w.client || !WIFEXITED(status) || WEXITSTATUS(status))
		_exit(96);
	put(done[1], "d", 1);
	if (waitpid(srv, &status, 0) != srv || !WIFEXITED(status) || WEXITSTATUS(status))
		_exit(95);
	tcp_settle();
	_exit(0);
}

int ex_world_start(bool is_storm, int go_fd, struct ex_world *w, pid_t *leader)
{
	int info[2], res[2] = { -1, -1 };

	if (pipe2(info, O_CLOEXEC) || (is_storm && pipe2(res, O_CLOEXEC)))
		die("pipe");
	*leader = fork();
	if (*leader < 0)
		die("fork");
	if (*leader == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(info[0]);
		if (res[0] >= 0)
			close(res[0]);
		if (unshare(CLONE_NEWNET))
			die("unshare(CLONE_NEWNET)");
		loopback_up();
		if (is_storm)
			storm(info[1], go_fd, res[1]);
		textbook(info[1], go_fd);
	}
	close(info[1]);
	if (res[1] >= 0)
		close(res[1]);
	if (read(info[0], w, sizeof(*w)) != sizeof(*w))
		die("the world of existing sockets failed to build");
	close(info[0]);
	return res[0];
}

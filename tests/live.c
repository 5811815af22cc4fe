// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: live scenarios for socktrace. Each scenario makes known traffic in
 * a network namespace of its own, runs socktrace around it, and checks that
 * socktrace reported exactly the expected events (type, pid, comm, 5-tuple):
 * nothing missing, nothing extra. A static build runs in a busybox VM too.
 *
 *   st-live --socktrace PATH [--backend NAME] [--expect-backend NAME]
 *           [--only NAME[,NAME...]] [--list] [--expect-unavailable]
 *   st-live --traffic NAME      only make NAME's traffic; print "actor PID COMM" lines
 *
 * A scenario that fails is run once more (--retries N, default 1), and the
 * first failure is printed as "RETRY name: why": a flake stays visible.
 *
 * Prints "PASS name" or "FAIL name: why" per scenario and ends with the line
 * "N passed, N failed"; exits 1 if anything failed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "jsonl.h"

#define MAX_ACTORS	8
#define MAX_EVENTS	8192
#define MAX_ARGS	24

static const char *socktrace_path;
static const char *backend = "auto";
static const char *expect_backend;
static const char *tmpdir = "/tmp";
static bool traffic_only;	/* --traffic: make the traffic, no socktrace */

/* ---- expected and reported events --------------------------------------- */

struct ev {
	char event[8];
	char proto[4];
	unsigned family;
	unsigned pid, tid;
	unsigned uid;			/* ANY_UID: not shown (the text stream) */
	char comm[17];
	char laddr[64];
	unsigned lport;
	char raddr[64];
	unsigned rport;
	unsigned long long tx, rx;	/* close: payload bytes */
	char reason[16];		/* fail */
	unsigned long long cookie;	/* reported only */
	unsigned long long duration;	/* reported only */
	bool late;			/* close: marked "late" (not seen as it happened) */
};

struct evset {
	struct ev e[MAX_EVENTS];
	int n;
};

/* a bounded copy that always terminates */
static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void ev_str(const struct ev *e, char *buf, size_t len)
{
	char comm[4 * sizeof(e->comm) + 1];
	size_t o = 0;
	int n;

	/* our own messages escape names too */
	for (const unsigned char *c = (const unsigned char *)e->comm; *c; c++)
		o += (size_t)snprintf(comm + o, sizeof(comm) - o,
				      *c >= 0x20 && *c < 0x7f ? "%c" : "\\x%02x", *c);
	n = snprintf(buf, len, "%s/%s pid=%u comm=%s %s %s:%u -> %s:%u", e->event, e->proto,
		     e->pid, comm, e->family == 6 ? "v6" : "v4", e->laddr, e->lport, e->raddr,
		     e->rport);

	if (!strcmp(e->event, "close") && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " tx=%llu rx=%llu%s", e->tx, e->rx,
			 e->late ? " late" : "");
	else if (!strcmp(e->event, "fail") && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " %s", e->reason);
}

#define ANY_UID (~0u)

static bool ev_same(const struct ev *a, const struct ev *b)
{
	return !strcmp(a->event, b->event) && !strcmp(a->proto, b->proto) &&
	       (a->uid == b->uid || a->uid == ANY_UID || b->uid == ANY_UID) &&
	       a->family == b->family && a->pid == b->pid && !strcmp(a->comm, b->comm) &&
	       !strcmp(a->laddr, b->laddr) && a->lport == b->lport &&
	       !strcmp(a->raddr, b->raddr) && a->rport == b->rport && a->tx == b->tx &&
	       a->rx == b->rx && a->late == b->late && !strcmp(a->reason, b->reason);
}

static void evset_add(struct evset *s, const struct ev *e)
{
	if (s->n < MAX_EVENTS)
		s->e[s->n++] = *e;
}

/* ---- actors: processes that make traffic inside the scenario's netns ---- */

enum actor_kind { TCP_SERVER, TCP_CLIENT, TCP_REFUSED, TCP_TIMEOUT, TCP_STORM, TCP_RESETTER, UDP_UNCONNECTED,
		  UDP_CONNECTED };

struct actor {
	enum actor_kind kind;
	int family;		/* AF_INET or AF_INET6 */
	const char *addr;	/* server address, or the peer's */
	unsigned port;		/* server port, or the peer's */
	unsigned port2;		/* UDP_UNCONNECTED: a second destination */
	int count;		/* TCP_SERVER: accepts; UDP: datagrams per destination */
	const char *comm;
	unsigned tx, rx;	/* TCP: payload bytes to send and to receive, per connection */
	unsigned gap_ms;	/* UDP_CONNECTED: send count, wait gap_ms, send count again;
				 * TCP_SERVER: wait gap_ms before the first accept */
	const char *src;	/* TCP_CLIENT: the local address to connect from (NULL: any) */
	unsigned run_as;	/* a uid to become before the traffic (0: stay root) */
	unsigned start_ms;	/* wait this long after the start before any traffic */
	bool background;	/* the next actors start without waiting for this one */
	pid_t pid;
	int go[2];		/* the leader writes one byte: start */
};

/* a filter: socktrace options, and which expected events they keep */
struct filter {
	const char *args[3];
	bool (*keep)(const struct ev *e, const struct actor *a);
};

struct scenario {
	const char *name;
	const char *what;
	struct actor actors[MAX_ACTORS];
	int n_actors;
	const struct filter *filter;	/* NULL: everything is expected */
	bool text;		/* check the plain text stream instead of --json */
	bool summary;		/* check the --summary rows of the actors instead */
	const char *extra[4];	/* more socktrace options */
	bool overload;		/* socktrace is stopped through the traffic: check drops */
	/*
	 * Closes on this port are to be lost (SOCKTRACE_TEST_LOSE_CLOSE_PORT):
	 * each is expected late, with no byte counts, once the socket's memory
	 * begins another connection.
	 */
	unsigned lose_close_port;
	bool one_cpu;		/* every actor on CPU 0 (a freed socket is reused there) */
};

static int results_fd = -1;	/* actors write struct ev records here */
static int ready_fd = -1;	/* servers write one byte when listening */

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "st-live: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(errno));
	va_end(ap);
	_exit(99);
}

static socklen_t make_addr(int family, const char *ip, unsigned port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)port);
		if (inet_pton(AF_INET6, ip, &s6->sin6_addr) != 1)
			die("bad address %s", ip);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, ip, &s4->sin_addr) != 1)
		die("bad address %s", ip);
	return sizeof(*s4);
}

/* address and port of a sockaddr, as socktrace prints them (v4-mapped as v4) */
static void split_addr(const struct sockaddr_storage *ss, unsigned *family, char *ip, size_t len,
		       unsigned *port)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		*port = ntohs(s6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			*family = 4;
			inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], ip, (socklen_t)len);
		} else {
			*family = 6;
			inet_ntop(AF_INET6, &s6->sin6_addr, ip, (socklen_t)len);
		}
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		*family = 4;
		*port = ntohs(s4->sin_port);
		inet_ntop(AF_INET, &s4->sin_addr, ip, (socklen_t)len);
	}
}

/* the event this socket's local and peer ends make */
static void ev_of_socket(struct ev *e, const char *type, const char *proto, int fd,
			 const struct sockaddr_storage *peer, const char *comm)
{
	struct sockaddr_storage local, remote;
	socklen_t len = sizeof(local);
	unsigned fam2;

	memset(e, 0, sizeof(*e));
	snprintf(e->event, sizeof(e->event), "%s", type);
	snprintf(e->proto, sizeof(e->proto), "%s", proto);
	snprintf(e->comm, sizeof(e->comm), "%s", comm);
	e->pid = (unsigned)getpid();
	e->uid = (unsigned)getuid();
	if (getsockname(fd, (struct sockaddr *)&local, &len))
		die("getsockname");
	if (peer) {
		remote = *peer;
	} else {
		len = sizeof(remote);
		if (getpeername(fd, (struct sockaddr *)&remote, &len))
			die("getpeername");
	}
	split_addr(&remote, &e->family, e->raddr, sizeof(e->raddr), &e->rport);
	split_addr(&local, &fam2, e->laddr, sizeof(e->laddr), &e->lport);
	if (e->family == 4 && fam2 == 6)	/* v6 socket bound to "::" sending to v4 */
		snprintf(e->laddr, sizeof(e->laddr), "0.0.0.0");
}

static void send_all(int fd, unsigned n)
{
	char buf[4096];

	memset(buf, 'z', sizeof(buf));
	while (n) {
		ssize_t w = write(fd, buf, n < sizeof(buf) ? n : sizeof(buf));

		if (w <= 0)
			die("write");
		n -= (unsigned)w;
	}
}

static void recv_exactly(int fd, unsigned n)
{
	char buf[4096];

	while (n) {
		ssize_t r = read(fd, buf, n < sizeof(buf) ? n : sizeof(buf));

		if (r <= 0)
			die("read");
		n -= (unsigned)r;
	}
}

/* the close event of a socket whose open event is e */
static void ev_close(struct ev *c, const struct ev *e, unsigned tx, unsigned rx)
{
	*c = *e;
	copy_str(c->event, sizeof(c->event), "close");
	c->tx = tx;
	c->rx = rx;
}

static void report(const struct ev *e)
{
	if (write(results_fd, e, sizeof(*e)) != (ssize_t)sizeof(*e))
		die("write result");
}

/*
 * connect() on the bound socket fd must fail with err: report the connect,
 * then its fail event with reason (socktrace's word for err).
 */
static void connect_fails(int fd, const struct sockaddr_storage *ss, socklen_t sl,
			  const struct actor *a, int err, const char *reason)
{
	struct ev e;

	ev_of_socket(&e, "connect", "tcp", fd, ss, a->comm);
	if (connect(fd, (const struct sockaddr *)ss, sl) == 0)
		die("connect to %s:%u: expected %s, it succeeded", a->addr, a->port, strerror(err));
	if (errno != err)
		die("connect to %s:%u: expected %s, got %s", a->addr, a->port, strerror(err),
		    strerror(errno));
	report(&e);
	copy_str(e.event, sizeof(e.event), "fail");
	copy_str(e.reason, sizeof(e.reason), reason);
	report(&e);
	close(fd);
}

static void run_actor(struct actor *a)
{
	struct sockaddr_storage ss, ss2;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	int one = 1, fd;
	char b;
	struct ev e;

	prctl(PR_SET_NAME, a->comm);
	if (a->run_as && (setgroups(0, NULL) || setresgid(a->run_as, a->run_as, a->run_as) ||
			  setresuid(a->run_as, a->run_as, a->run_as)))
		die("become uid %u", a->run_as);
	if (read(a->go[0], &b, 1) != 1)
		_exit(98);	/* the leader went away: no traffic */
	usleep(a->start_ms * 1000);
	switch (a->kind) {
	case TCP_SERVER:
		fd = socket(a->family, SOCK_STREAM, 0);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) || listen(fd, 16))
			die("server %s:%u", a->addr, a->port);
		ev_of_socket(&e, "listen", "tcp", fd, &ss, a->comm);
		copy_str(e.raddr, sizeof(e.raddr), a->family == AF_INET6 ? "::" : "0.0.0.0");
		e.family = a->family == AF_INET6 ? 6 : 4;
		e.rport = 0;
		report(&e);
		if (write(ready_fd, "r", 1) != 1)
			die("ready");
		usleep(a->gap_ms * 1000);
		for (int i = 0; i < a->count; i++) {
			struct sockaddr_storage peer;
			socklen_t pl = sizeof(peer);
			int c = accept(fd, (struct sockaddr *)&peer, &pl);
			struct ev cl;

			if (c < 0)
				die("accept");
			ev_of_socket(&e, "accept", "tcp", c, &peer, a->comm);
			report(&e);
			recv_exactly(c, a->rx);
			send_all(c, a->tx);
			close(c);	/* the server closes first */
			ev_close(&cl, &e, a->tx, a->rx);
			report(&cl);
		}
		close(fd);
		break;
	case TCP_CLIENT: {
		struct ev cl;
		char c;

		fd = socket(a->family, SOCK_STREAM, 0);
		if (fd >= 0 && a->src) {
			struct sockaddr_storage local;
			socklen_t ll = make_addr(a->family, a->src, 0, &local);

			if (bind(fd, (struct sockaddr *)&local, ll))
				die("bind %s", a->src);
		}
		if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl))
			die("connect %s:%u", a->addr, a->port);
		ev_of_socket(&e, "connect", "tcp", fd, NULL, a->comm);
		report(&e);
		send_all(fd, a->tx);
		recv_exactly(fd, a->rx);
		if (read(fd, &c, 1) != 0)	/* the server's FIN */
			die("expected the end of the stream");
		close(fd);
		ev_close(&cl, &e, a->tx, a->rx);
		report(&cl);
		break;
	}
	case TCP_RESETTER:	/* count connects, each reset at once (SO_LINGER 0) */
		for (int i = 0; i < a->count; i++) {
			struct linger lg = { 1, 0 };
			struct ev cl;

			fd = socket(a->family, SOCK_STREAM, 0);
			if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl))
				die("resetter connect %d", i);
			ev_of_socket(&e, "connect", "tcp", fd, NULL, a->comm);
			report(&e);
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			close(fd);
			ev_close(&cl, &e, 0, 0);
			report(&cl);
		}
		break;
	case TCP_STORM:	/* count connects in a row, no payload */
		for (int i = 0; i < a->count; i++) {
			struct ev cl;
			char c;

			fd = socket(a->family, SOCK_STREAM, 0);
			if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl))
				die("storm connect %d", i);
			ev_of_socket(&e, "connect", "tcp", fd, NULL, a->comm);
			report(&e);
			if (read(fd, &c, 1) != 0)
				die("expected the end of the stream");
			close(fd);
			ev_close(&cl, &e, 0, 0);
			report(&cl);
		}
		break;
	case TCP_REFUSED: {
		struct sockaddr_storage local;
		socklen_t ll = make_addr(a->family, a->family == AF_INET6 ? "::1" : "127.0.0.1", 0,
					 &local);

		/* bound first, so that the local end is known after the refusal */
		fd = socket(a->family, SOCK_STREAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&local, ll))
			die("bind");
		connect_fails(fd, &ss, sl, a, ECONNREFUSED, "refused");
		break;
	}
	case TCP_TIMEOUT: {
		struct sockaddr_storage local;
		socklen_t ll = make_addr(AF_INET, "127.0.0.1", 0, &local);
		int one = 1;

		/*
		 * To TEST-NET-1, which this netns routes into its own loopback
		 * (see blackhole_route()): the SYN goes nowhere. One retry: the
		 * kernel gives up after ~3 s with ETIMEDOUT.
		 */
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&local, ll) ||
		    setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &one, sizeof(one)))
			die("timeout socket");
		connect_fails(fd, &ss, sl, a, ETIMEDOUT, "timeout");
		break;
	}
	case UDP_CONNECTED:
		fd = socket(a->family, SOCK_DGRAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl))
			die("udp connect");
		for (int i = 0; i < a->count; i++)
			if (send(fd, "x", 1, 0) != 1)
				die("udp send");
		ev_of_socket(&e, "udp", "udp", fd, NULL, a->comm);
		report(&e);
		if (a->gap_ms) {	/* idle past --udp-idle: the same flow is new again */
			usleep(a->gap_ms * 1000);
			for (int i = 0; i < a->count; i++)
				if (send(fd, "x", 1, 0) != 1)
					die("udp send");
			report(&e);
		}
		close(fd);
		break;
	case UDP_UNCONNECTED: {
		socklen_t sl2 = make_addr(a->family, a->addr, a->port2, &ss2);

		fd = socket(a->family, SOCK_DGRAM, 0);
		if (fd < 0)
			die("udp socket");
		for (int i = 0; i < a->count; i++) {
			if (sendto(fd, "x", 1, 0, (struct sockaddr *)&ss, sl) != 1 ||
			    sendto(fd, "y", 1, 0, (struct sockaddr *)&ss2, sl2) != 1)
				die("udp sendto");
		}
		ev_of_socket(&e, "udp", "udp", fd, &ss, a->comm);
		report(&e);
		ev_of_socket(&e, "udp", "udp", fd, &ss2, a->comm);
		report(&e);
		close(fd);
		break;
	}
	}
	_exit(0);
}

/*
 * Wait, at most 10 s, until every TCP socket of this namespace is gone or in
 * TIME-WAIT: then every connection has ended in the kernel too (the last ACK
 * of a close can be handled a little after the process closed, in softirq).
 */
static void tcp_settle(void)
{
	for (int tries = 0; tries < 1000; tries++) {
		const char *files[] = { "/proc/self/net/tcp", "/proc/self/net/tcp6" };
		bool busy = false;

		for (int i = 0; i < 2; i++) {
			FILE *f = fopen(files[i], "r");
			char line[512], st[8];

			if (!f)
				continue;
			if (!fgets(line, sizeof(line), f))	/* the header */
				line[0] = '\0';
			while (fgets(line, sizeof(line), f))
				if (sscanf(line, "%*s %*s %*s %7s", st) == 1 && strcmp(st, "06"))
					busy = true;
			fclose(f);
		}
		if (!busy)
			return;
		usleep(10000);
	}
}

/* bring the new namespace's loopback up (::1 comes with it) */
static void loopback_up(void)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
		die("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		die("SIOCSIFFLAGS lo");
	close(fd);
}

/*
 * 192.0.2.0/24 (TEST-NET-1) through this netns's loopback: a packet sent
 * there comes back in on lo for an address nobody here has, and is dropped.
 * A connect to it times out, and nothing leaves the namespace.
 */
static void blackhole_route(void)
{
	struct rtentry rt = {};
	struct sockaddr_in *dst = (struct sockaddr_in *)&rt.rt_dst;
	struct sockaddr_in *mask = (struct sockaddr_in *)&rt.rt_genmask;
	char dev[] = "lo";
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	dst->sin_family = AF_INET;
	dst->sin_addr.s_addr = htonl(0xc0000200);	/* 192.0.2.0 */
	mask->sin_family = AF_INET;
	mask->sin_addr.s_addr = htonl(0xffffff00);
	rt.rt_flags = RTF_UP;
	rt.rt_dev = dev;
	if (fd < 0 || ioctl(fd, SIOCADDRT, &rt))
		die("SIOCADDRT 192.0.2.0/24 dev lo");
	close(fd);
}

/* UDP receivers so that datagrams land somewhere (no ICMP unreachable) */
static void udp_sinks(const struct scenario *sc, int *fds, int *n)
{
	*n = 0;
	for (int i = 0; i < sc->n_actors; i++) {
		const struct actor *a = &sc->actors[i];
		unsigned ports[2] = { a->port, a->port2 };

		if (a->kind != UDP_CONNECTED && a->kind != UDP_UNCONNECTED)
			continue;
		for (int k = 0; k < (a->kind == UDP_UNCONNECTED ? 2 : 1); k++) {
			struct sockaddr_storage ss;
			socklen_t sl = make_addr(a->family, a->addr, ports[k], &ss);
			int rcvbuf = 1 << 20;
			int fd = socket(a->family, SOCK_DGRAM, 0);

			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
			if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl))
				die("udp sink %s:%u", a->addr, ports[k]);
			fds[(*n)++] = fd;
		}
	}
}

/* ---- running socktrace --------------------------------------------------- */

struct tracer {
	pid_t pid;
	char out[256], err[256];
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return strdup("");
	FILE *m = open_memstream(&buf, &len);
	char chunk[4096];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* start socktrace with argv and wait until it says it is tracing */
static int tracer_start(struct tracer *t, char **argv, char *why, size_t len)
{
	static int seq;
	double deadline = now_s() + 60;

	snprintf(t->out, sizeof(t->out), "%s/st-live.%d.%d.out", tmpdir, getpid(), seq);
	snprintf(t->err, sizeof(t->err), "%s/st-live.%d.%d.err", tmpdir, getpid(), seq++);
	t->pid = fork();
	if (t->pid < 0)
		die("fork");
	if (t->pid == 0) {
		int o = open(t->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(t->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (o < 0 || e < 0)
			die("open %s", t->out);
		dup2(o, 1);
		dup2(e, 2);
		execv(argv[0], argv);
		die("exec %s", argv[0]);
	}
	while (now_s() < deadline) {
		char *err = slurp(t->err);
		bool ready = strstr(err, "socktrace: tracing with the ") != NULL;
		int status;

		if (ready) {
			free(err);
			return 0;
		}
		if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
			snprintf(why, len, "socktrace exited (status %d) before tracing: %.300s",
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1, err);
			free(err);
			t->pid = 0;
			return -1;
		}
		free(err);
		usleep(10000);
	}
	snprintf(why, len, "socktrace did not start tracing within 60 s");
	return -1;
}

static int tracer_stop(struct tracer *t, char *why, size_t len)
{
	int status;

	if (t->pid <= 0)
		return -1;
	kill(t->pid, SIGINT);
	if (waitpid(t->pid, &status, 0) != t->pid)
		die("waitpid socktrace");
	t->pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(why, len, "socktrace ended with status %d after SIGINT", status);
		return -1;
	}
	return 0;
}

static void tracer_cleanup(struct tracer *t)
{
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
	}
	unlink(t->out);
	unlink(t->err);
}

/* ---- parsing socktrace's output -------------------------------------------- */

static const char *const json_keys[] = {
	"ts", "event", "pid", "tid", "uid", "comm", "proto", "family", "laddr", "lport",
	"raddr", "rport", "cookie", "netns", "cgroup",
};

/* every line must be strict JSON with the keys in order; keep those of netns */
static int parse_json(const char *text, unsigned long long netns, long long t0, long long t1,
		      struct evset *got, char *why, size_t len)
{
	const char *line = text;
	int lineno = 0;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char buf[2048], err[160];
		struct jl_object o;
		struct ev e = {};

		lineno++;
		if (!nl) {
			snprintf(why, len, "line %d is not terminated by a newline", lineno);
			return -1;
		}
		snprintf(buf, sizeof(buf), "%.*s", (int)n, line);
		line = nl + 1;
		if (jl_parse(buf, &o, err, sizeof(err))) {
			snprintf(why, len, "line %d is not JSON (%s): %.200s", lineno, err, buf);
			return -1;
		}
		for (size_t k = 0; k < sizeof(json_keys) / sizeof(json_keys[0]); k++) {
			bool is_str = !strcmp(json_keys[k], "event") || !strcmp(json_keys[k], "comm") ||
				      !strcmp(json_keys[k], "proto") || !strcmp(json_keys[k], "laddr") ||
				      !strcmp(json_keys[k], "raddr");

			if ((int)k >= o.n || strcmp(o.m[k].key, json_keys[k]) ||
			    (is_str ? o.m[k].type != JL_STR : !o.m[k].is_uint)) {
				snprintf(why, len, "line %d: key %zu should be %s (%s): %.200s",
					 lineno, k, json_keys[k], is_str ? "string" : "integer", buf);
				return -1;
			}
		}
		if (jl_get(&o, "netns")->u != netns)
			continue;
		if ((long long)jl_get(&o, "ts")->u < t0 || (long long)jl_get(&o, "ts")->u > t1) {
			snprintf(why, len, "line %d: ts %llu is outside the run [%lld, %lld]", lineno,
				 jl_get(&o, "ts")->u, t0, t1);
			return -1;
		}
		copy_str(e.event, sizeof(e.event), jl_get(&o, "event")->str);
		copy_str(e.proto, sizeof(e.proto), jl_get(&o, "proto")->str);
		copy_str(e.comm, sizeof(e.comm), jl_get(&o, "comm")->str);
		copy_str(e.laddr, sizeof(e.laddr), jl_get(&o, "laddr")->str);
		copy_str(e.raddr, sizeof(e.raddr), jl_get(&o, "raddr")->str);
		e.family = (unsigned)jl_get(&o, "family")->u;
		e.pid = (unsigned)jl_get(&o, "pid")->u;
		e.tid = (unsigned)jl_get(&o, "tid")->u;
		e.lport = (unsigned)jl_get(&o, "lport")->u;
		e.rport = (unsigned)jl_get(&o, "rport")->u;
		e.cookie = jl_get(&o, "cookie")->u;
		if (!strcmp(e.event, "close") && jl_get(&o, "late")) {
			if (o.n != 16 || jl_get(&o, "late")->type != JL_BOOL ||
			    strcmp(o.m[15].key, "late")) {
				snprintf(why, len, "line %d: bad late close keys: %.200s", lineno, buf);
				return -1;
			}
			e.late = true;
		} else if (!strcmp(e.event, "close")) {
			const struct jl_member *d = jl_get(&o, "duration_ns"),
					       *tx = jl_get(&o, "tx_bytes"),
					       *rx = jl_get(&o, "rx_bytes");

			if (o.n != 18 || !d || !tx || !rx || !d->is_uint || !tx->is_uint ||
			    !rx->is_uint || !d->u || (long long)d->u > t1 - t0) {
				snprintf(why, len, "line %d: bad close keys: %.200s", lineno, buf);
				return -1;
			}
			e.tx = tx->u;
			e.rx = rx->u;
			e.duration = d->u;
		} else if (!strcmp(e.event, "fail")) {
			const struct jl_member *r = jl_get(&o, "reason");

			if (o.n != 16 || !r || r->type != JL_STR) {
				snprintf(why, len, "line %d: bad fail keys: %.200s", lineno, buf);
				return -1;
			}
			copy_str(e.reason, sizeof(e.reason), r->str);
		} else if (o.n != 15) {
			snprintf(why, len, "line %d: %d keys, expected 15: %.200s", lineno, o.n, buf);
			return -1;
		}
		if (e.tid != e.pid || !jl_get(&o, "cgroup")->u) {
			snprintf(why, len, "line %d: tid or cgroup is wrong: %.200s", lineno, buf);
			return -1;
		}
		e.uid = (unsigned)jl_get(&o, "uid")->u;	/* the actor's, compared as a field */
		evset_add(got, &e);
	}
	return 0;
}

/* copy the line at text into buf (without its newline); return the next line */
static const char *next_line(const char *text, char *buf, size_t len)
{
	size_t n = strcspn(text, "\n");

	copy_str(buf, len < n + 1 ? len : n + 1, text);
	return text[n] ? text + n + 1 : text + n;
}

/* undo the text stream's escaping: "\\" and "\xHH" */
static int unescape_text(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (const char *p = in; *p && o + 1 < len; p++) {
		unsigned v;

		if (*p != '\\') {
			out[o++] = *p;
			continue;
		}
		if (p[1] == '\\') {
			out[o++] = '\\';
			p++;
		} else if (p[1] == 'x' && sscanf(p + 2, "%2x", &v) == 1 && p[2] && p[3]) {
			out[o++] = (char)v;
			p += 3;
		} else {
			return -1;
		}
	}
	out[o] = '\0';
	return 0;
}

/* "HH:MM:SS.mmm PID COMM EVENT PROTO LOCAL REMOTE": keep the lines of our pids */
static int parse_text(const char *text, const struct evset *exp, struct evset *got, char *why,
		      size_t len)
{
	const char *line = text;
	bool header = false;

	while (*line) {
		char buf[512], tm[32], comm[64], local[80], remote[80];
		struct ev e = { .uid = ANY_UID };
		bool ours = false;
		char *colon;

		line = next_line(line, buf, sizeof(buf));
		if (!header) {
			header = true;
			if (strncmp(buf, "TIME ", 5)) {
				snprintf(why, len, "no header line: %.100s", buf);
				return -1;
			}
			continue;
		}
		if (sscanf(buf, "%31s %u %63s %7s %3s %79s %79s", tm, &e.pid, comm, e.event,
			   e.proto, local, remote) != 7 || strlen(tm) != 12) {
			snprintf(why, len, "bad text line: %.200s", buf);
			return -1;
		}
		for (size_t i = 0; buf[i]; i++) {
			unsigned char c = (unsigned char)buf[i];

			if (c < 0x20 || c >= 0x7f) {
				snprintf(why, len, "a raw byte 0x%02x reached the terminal", c);
				return -1;
			}
		}
		for (int i = 0; i < exp->n; i++)
			ours |= exp->e[i].pid == e.pid;
		if (!ours)
			continue;
		if (unescape_text(comm, e.comm, sizeof(e.comm))) {
			snprintf(why, len, "bad escape in the name '%s'", comm);
			return -1;
		}
		e.family = local[0] == '[' ? 6 : 4;
		colon = strrchr(local, ':');
		e.lport = (unsigned)atoi(colon + 1);
		*colon = '\0';
		copy_str(e.laddr, sizeof(e.laddr), local + (e.family == 6));
		if (e.family == 6)
			e.laddr[strlen(e.laddr) - 1] = '\0';
		colon = strrchr(remote, ':');
		e.rport = (unsigned)atoi(colon + 1);
		*colon = '\0';
		copy_str(e.raddr, sizeof(e.raddr), remote + (e.family == 6));
		if (e.family == 6)
			e.raddr[strlen(e.raddr) - 1] = '\0';
		if (!strcmp(e.event, "close")) {
			const char *tx = strstr(buf, " tx="), *rx = strstr(buf, " rx=");

			if (!tx || !rx) {
				snprintf(why, len, "close without tx/rx: %.200s", buf);
				return -1;
			}
			e.tx = strtoull(tx + 4, NULL, 10);
			e.rx = strtoull(rx + 4, NULL, 10);
		} else if (!strcmp(e.event, "fail")) {
			sscanf(buf, "%*s %*s %*s %*s %*s %*s %*s %15s", e.reason);
		}
		evset_add(got, &e);
	}
	return 0;
}

/* exactly the expected events, each once */
static int compare(const struct evset *exp, const struct evset *got, char *why, size_t len)
{
	bool used[MAX_EVENTS] = { false };
	char a[256];
	int missing = 0, extra = 0;
	FILE *f = fmemopen(why, len, "w");

	for (int i = 0; i < exp->n; i++) {
		int j;

		for (j = 0; j < got->n; j++)
			if (!used[j] && ev_same(&exp->e[i], &got->e[j]))
				break;
		if (j < got->n) {
			used[j] = true;
			continue;
		}
		ev_str(&exp->e[i], a, sizeof(a));
		fprintf(f, "%smissing %s", missing + extra ? "; " : "", a);
		missing++;
	}
	for (int j = 0; j < got->n; j++) {
		if (used[j])
			continue;
		ev_str(&got->e[j], a, sizeof(a));
		fprintf(f, "%sunexpected %s", missing + extra ? "; " : "", a);
		extra++;
	}
	fprintf(f, " (expected %d events, got %d)", exp->n, got->n);
	fclose(f);
	return missing || extra ? -1 : 0;
}

/* ---- --summary: the rows of the actors, from what they did ------------------- */

struct want_row {
	unsigned pid;
	char comm[17];
	unsigned long long connects, accepts, fails, closes, udp_flows, udp_packets, peers, tx, rx;
	char ports[64];		/* "[12000]" */
	int seen;
};

static struct want_row *want_of(struct want_row *w, int *n, const struct ev *e)
{
	for (int i = 0; i < *n; i++)
		if (w[i].pid == e->pid)
			return &w[i];
	memset(&w[*n], 0, sizeof(w[*n]));
	w[*n].pid = e->pid;
	copy_str(w[*n].comm, sizeof(w[*n].comm), e->comm);
	copy_str(w[*n].ports, sizeof(w[*n].ports), "[]");
	return &w[(*n)++];
}

static int check_summary(const struct scenario *sc, const char *text, const struct evset *exp,
			 char *why, size_t len)
{
	struct want_row w[MAX_ACTORS];
	int n = 0;

	/* what each actor's row must say, from the events it made */
	for (int i = 0; i < exp->n; i++) {
		const struct ev *e = &exp->e[i];
		struct want_row *r = want_of(w, &n, e);
		bool new_peer = true;

		if (!strcmp(e->event, "listen")) {
			snprintf(r->ports, sizeof(r->ports), "[%u]", e->lport);
			continue;
		}
		if (!strcmp(e->event, "close")) {
			r->closes++;
			r->tx += e->tx;
			r->rx += e->rx;
			continue;
		}
		if (!strcmp(e->event, "fail")) {
			r->fails++;
			continue;
		}
		r->connects += !strcmp(e->event, "connect");
		r->accepts += !strcmp(e->event, "accept");
		r->udp_flows += !strcmp(e->event, "udp");
		/* a peer: the remote address, and its port unless accepted from it */
		for (int j = 0; j < i; j++)
			if (exp->e[j].pid == e->pid && !strcmp(exp->e[j].raddr, e->raddr) &&
			    !strcmp(exp->e[j].event, "accept") == !strcmp(e->event, "accept") &&
			    (!strcmp(e->event, "accept") || exp->e[j].rport == e->rport) &&
			    strcmp(exp->e[j].event, "close") && strcmp(exp->e[j].event, "fail") &&
			    strcmp(exp->e[j].event, "listen"))
				new_peer = false;
		r->peers += new_peer;
	}
	/* UDP datagrams of one byte each */
	for (int a = 0; a < sc->n_actors; a++) {
		const struct actor *ac = &sc->actors[a];
		unsigned long long pk = 0;

		if (ac->kind == UDP_UNCONNECTED)
			pk = 2ULL * ac->count;
		else if (ac->kind == UDP_CONNECTED)
			pk = (unsigned long long)ac->count * (ac->gap_ms ? 2 : 1);
		for (int i = 0; i < n; i++) {
			if (w[i].pid == (unsigned)ac->pid) {
				w[i].udp_packets += pk;
				w[i].tx += pk;
			}
		}
	}

	/* every line is strict JSON; the actors' rows must match field by field */
	for (const char *line = text; *line;) {
		char buf[2048], err[160];
		struct jl_object o;
		const struct jl_member *pid;
		struct want_row *r = NULL;

		line = next_line(line, buf, sizeof(buf));
		if (jl_parse(buf, &o, err, sizeof(err))) {
			snprintf(why, len, "summary line is not JSON (%s): %.200s", err, buf);
			return -1;
		}
		pid = jl_get(&o, "pid");
		if (!jl_get(&o, "event") || strcmp(jl_get(&o, "event")->str, "summary") || !pid) {
			snprintf(why, len, "not a summary line: %.200s", buf);
			return -1;
		}
		for (int i = 0; i < n; i++)
			if (w[i].pid == pid->u)
				r = &w[i];
		if (!r)
			continue;
		r->seen++;
		const struct {
			const char *key;
			unsigned long long want;
		} f[] = {
			{ "connects", r->connects }, { "accepts", r->accepts }, { "fails", r->fails },
			{ "closes", r->closes }, { "udp_flows", r->udp_flows },
			{ "udp_packets", r->udp_packets }, { "peers", r->peers },
			{ "tx_bytes", r->tx }, { "rx_bytes", r->rx },
		};
		for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
			const struct jl_member *m = jl_get(&o, f[k].key);

			if (!m || !m->is_uint || m->u != f[k].want) {
				snprintf(why, len, "pid %u (%s): %s is %llu, expected %llu: %.300s",
					 r->pid, r->comm, f[k].key, m ? m->u : 0, f[k].want, buf);
				return -1;
			}
		}
		if (!jl_get(&o, "comm") || strcmp(jl_get(&o, "comm")->str, r->comm) ||
		    !jl_get(&o, "listen_ports") || strcmp(jl_get(&o, "listen_ports")->raw, r->ports)) {
			snprintf(why, len, "pid %u: comm or listen_ports wrong, expected %s %s: %.300s",
				 r->pid, r->comm, r->ports, buf);
			return -1;
		}
	}
	for (int i = 0; i < n; i++) {
		if (w[i].seen != 1) {
			snprintf(why, len, "pid %u (%s) has %d summary rows, expected 1", w[i].pid,
				 w[i].comm, w[i].seen);
			return -1;
		}
	}
	return 0;
}

/*
 * A stalled consumer and a storm: every event socktrace did not deliver must be
 * in its dropped count, exactly; what it delivered must be real; the kernel's
 * per-process counters must be exact all the same.
 */
static int check_overload(const struct scenario *sc, const char *out, const char *err,
			  unsigned long long netns, long long t0, long long t1,
			  const struct evset *exp, struct evset *got, char *why, size_t len)
{
	size_t n = strlen(out);
	char *events = calloc(1, n + 1), *summary = calloc(1, n + 1);
	const char *tail = strstr(err, "socktrace: ");
	unsigned long long received, dropped = 0;
	bool used[MAX_EVENTS] = { false };
	int rc = -1;

	/* the stream's lines, then the summary's */
	for (const char *line = out; *line;) {
		const char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line + 1) : strlen(line);

		strncat(strstr(line, "\"event\":\"summary\"") && (!nl || strstr(line, "\"event\":\"summary\"") < nl) ?
				summary : events, line, l);
		line += l;
	}
	while (tail && strstr(tail + 1, "socktrace: "))
		tail = strstr(tail + 1, "socktrace: ");
	if (!tail || sscanf(tail, "socktrace: %llu events, %llu dropped", &received, &dropped) != 2) {
		snprintf(why, len, "no 'N events, N dropped' line on stderr: %.200s", err);
		goto done;
	}
	if (parse_json(events, netns, t0, t1, got, why, len))
		goto done;
	for (int j = 0; j < got->n; j++) {
		int i;

		for (i = 0; i < exp->n; i++)
			if (!used[i] && ev_same(&exp->e[i], &got->e[j]))
				break;
		if (i == exp->n) {
			char a[256];

			ev_str(&got->e[j], a, sizeof(a));
			snprintf(why, len, "delivered an event that did not happen: %s", a);
			goto done;
		}
		used[i] = true;
	}
	if (dropped == 0 || (unsigned long long)got->n + dropped != (unsigned long long)exp->n ||
	    received != (unsigned long long)got->n) {
		snprintf(why, len, "%d events happened; socktrace delivered %d (said %llu) and "
			 "said %llu dropped: expected dropped > 0 and delivered + dropped = happened",
			 exp->n, got->n, received, dropped);
		goto done;
	}
	rc = check_summary(sc, summary, exp, why, len);
done:
	free(events);
	free(summary);
	return rc;
}

/* ---- one scenario ------------------------------------------------------------ */

static long long epoch_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int run_scenario(struct scenario *sc, char *why, size_t len)
{
	int info[2], res[2], rdy[2], go[2];
	struct actor *a = sc->actors;
	unsigned long long netns = 0;
	struct evset *exp = calloc(1, sizeof(*exp)), *got = calloc(1, sizeof(*got));
	struct tracer t = {};
	char *argv[MAX_ARGS], *out, *err;
	int argc = 0, status, rc = -1;
	long long t0, t1;
	pid_t leader;
	struct ev e;

	/* close-on-exec: socktrace must not hold the results pipe open */
	if (pipe2(info, O_CLOEXEC) || pipe2(res, O_CLOEXEC) || pipe2(rdy, O_CLOEXEC) ||
	    pipe2(go, O_CLOEXEC))
		die("pipe");
	for (int i = 0; i < sc->n_actors; i++)
		if (pipe2(a[i].go, O_CLOEXEC))
			die("pipe");
	leader = fork();
	if (leader < 0)
		die("fork");
	if (leader == 0) {
		/* the leader: a fresh netns, the actors forked and waiting */
		struct stat st;
		int sinks[2 * MAX_ACTORS], n_sinks;
		char b;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWNET))
			die("unshare(CLONE_NEWNET)");
		loopback_up();
		blackhole_route();
		if (stat("/proc/self/ns/net", &st))
			die("stat /proc/self/ns/net");
		udp_sinks(sc, sinks, &n_sinks);
		if (sc->one_cpu) {
			cpu_set_t cpus;

			CPU_ZERO(&cpus);
			CPU_SET(0, &cpus);
			if (sched_setaffinity(0, sizeof(cpus), &cpus))
				die("sched_setaffinity CPU 0");
		}
		results_fd = res[1];
		ready_fd = rdy[1];
		for (int i = 0; i < sc->n_actors; i++) {
			a[i].pid = fork();
			if (a[i].pid == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				run_actor(&a[i]);
			}
		}
		netns = st.st_ino;
		if (write(info[1], &netns, sizeof(netns)) != sizeof(netns))
			die("write info");
		for (int i = 0; i < sc->n_actors; i++)
			if (write(info[1], &a[i].pid, sizeof(pid_t)) != sizeof(pid_t))
				die("write info");
		if (read(go[0], &b, 1) != 1)
			_exit(97);
		/* the traffic, in order: a server is listening before its clients go */
		for (int i = 0; i < sc->n_actors; i++) {
			if (write(a[i].go[1], "g", 1) != 1)
				die("go");
			if (a[i].kind == TCP_SERVER) {
				if (read(rdy[0], &b, 1) != 1)
					die("server ready");
			} else if (a[i].background) {
				continue;	/* waited for below */
			} else if (waitpid(a[i].pid, &status, 0) != a[i].pid ||
				   !WIFEXITED(status) || WEXITSTATUS(status)) {
				_exit(96);
			}
		}
		for (int i = 0; i < sc->n_actors; i++)
			if ((a[i].kind == TCP_SERVER || a[i].background) &&
			    (waitpid(a[i].pid, &status, 0) != a[i].pid || !WIFEXITED(status) ||
			     WEXITSTATUS(status)))
				_exit(95);
		tcp_settle();
		_exit(0);
	}
	close(info[1]);
	close(res[1]);
	close(go[0]);
	if (read(info[0], &netns, sizeof(netns)) != sizeof(netns))
		die("read info");
	for (int i = 0; i < sc->n_actors; i++)
		if (read(info[0], &a[i].pid, sizeof(pid_t)) != sizeof(pid_t))
			die("read info");

	/* socktrace, with the scenario's options */
	argv[argc++] = (char *)socktrace_path;
	if (!sc->text)
		argv[argc++] = "--json";
	if (sc->summary)
		argv[argc++] = "--summary";
	for (int i = 0; i < 4 && sc->extra[i]; i++)
		argv[argc++] = (char *)sc->extra[i];
	argv[argc++] = "--backend";
	argv[argc++] = (char *)backend;
	for (int i = 0; sc->filter && i < 3 && sc->filter->args[i]; i++) {
		static char pid1[16];

		snprintf(pid1, sizeof(pid1), "%d", a[1].pid);
		argv[argc++] = strcmp(sc->filter->args[i], "@pid1") ? (char *)sc->filter->args[i]
								     : pid1;
	}
	argv[argc] = NULL;
	t0 = epoch_ns();
	if (traffic_only) {
		if (write(go[1], "g", 1) != 1)
			die("go");
		while (read(res[0], &e, sizeof(e)) == (ssize_t)sizeof(e))
			;
		if (waitpid(leader, &status, 0) != leader || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			snprintf(why, len, "the traffic failed (leader status %d)", status);
			goto out;
		}
		leader = 0;
		for (int i = 0; i < sc->n_actors; i++)
			printf("actor %d %s\n", a[i].pid, a[i].comm);
		rc = 0;
		goto out;
	}
	if (sc->lose_close_port) {
		char port[16];

		snprintf(port, sizeof(port), "%u", sc->lose_close_port);
		setenv("SOCKTRACE_TEST_LOSE_CLOSE_PORT", port, 1);
	}
	rc = tracer_start(&t, argv, why, len);
	unsetenv("SOCKTRACE_TEST_LOSE_CLOSE_PORT");
	if (rc)
		goto out;
	rc = -1;
	err = slurp(t.err);
	if (expect_backend) {
		char want[64];

		snprintf(want, sizeof(want), "tracing with the %s backend", expect_backend);
		if (!strstr(err, want)) {
			snprintf(why, len, "expected the %s backend, socktrace said: %.200s",
				 expect_backend, err);
			free(err);
			goto out;
		}
	}
	free(err);

	/* the traffic, and what it must have produced */
	if (sc->overload)	/* stall the consumer: the ring buffer must fill */
		kill(t.pid, SIGSTOP);
	if (write(go[1], "g", 1) != 1)
		die("go");
	/* the actors' reports, until the last of them exits */
	while (read(res[0], &e, sizeof(e)) == (ssize_t)sizeof(e))
		evset_add(exp, &e);
	if (waitpid(leader, &status, 0) != leader || !WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(why, len, "the traffic failed (leader status %d)", status);
		goto out;
	}
	leader = 0;
	if (sc->overload)	/* the consumer stalled through the storm: now it may read */
		kill(t.pid, SIGCONT);
	for (int i = 0; sc->filter && i < exp->n; i++)
		if (!sc->filter->keep(&exp->e[i], a))
			exp->e[i--] = exp->e[--exp->n];
	for (int i = 0; sc->lose_close_port && i < exp->n; i++) {
		struct ev *c = &exp->e[i];

		if (!strcmp(c->event, "close") &&
		    (c->lport == sc->lose_close_port || c->rport == sc->lose_close_port)) {
			c->late = true;
			c->tx = c->rx = 0;
		}
	}
	usleep(100000);
	if (tracer_stop(&t, why, len))
		goto out;
	t1 = epoch_ns();
	out = slurp(t.out);
	if (sc->overload) {
		err = slurp(t.err);
		rc = check_overload(sc, out, err, netns, t0, t1, exp, got, why, len);
		free(err);
		free(out);
		goto out;
	}
	if (sc->summary) {
		rc = check_summary(sc, out, exp, why, len);
		free(out);
		goto out;
	}
	if (sc->text)
		rc = parse_text(out, exp, got, why, len);
	else
		rc = parse_json(out, netns, t0, t1, got, why, len);
	free(out);
	if (rc == 0)
		rc = compare(exp, got, why, len);
	/* one socket, one identity: the two flows of an unconnected UDP socket */
	if (rc == 0 && !strcmp(sc->name, "udp_unconnected") &&
	    (got->n != 2 || got->e[0].cookie != got->e[1].cookie || !got->e[0].cookie)) {
		snprintf(why, len, "the two flows of one socket have cookies %llu and %llu",
			 got->e[0].cookie, got->n > 1 ? got->e[1].cookie : 0);
		rc = -1;
	}
	/*
	 * A connect that hangs is shown while it hangs: its event is streamed
	 * when the SYN leaves, before the datagram another actor sends 1 s into
	 * the 2-3 s the kernel takes to give up (the stream is in the order the
	 * events were made).
	 */
	if (rc == 0 && !strcmp(sc->name, "tcp_timeout")) {
		int c = -1, u = -1;

		for (int i = 0; i < got->n; i++) {
			if (!strcmp(got->e[i].event, "connect") && c < 0)
				c = i;
			else if (!strcmp(got->e[i].event, "udp") && u < 0)
				u = i;
		}
		if (c < 0 || u < 0 || c > u) {
			snprintf(why, len, "the hanging connect was streamed after the datagram sent "
				 "1 s later (connect at line %d, udp at line %d)", c + 1, u + 1);
			rc = -1;
		}
	}
out:
	if (leader > 0) {
		kill(leader, SIGKILL);
		waitpid(leader, NULL, 0);
	}
	tracer_cleanup(&t);
	free(exp);
	free(got);
	close(info[0]);
	close(res[0]);
	close(go[1]);
	close(rdy[0]);
	close(rdy[1]);
	for (int i = 0; i < sc->n_actors; i++) {
		close(a[i].go[0]);
		close(a[i].go[1]);
	}
	return rc;
}

/* ---- filters: socktrace options, and the expected events they keep ------------ */

static bool keep_first_client(const struct ev *e, const struct actor *a)
{
	return e->pid == (unsigned)a[1].pid;
}

static bool keep_port_12001(const struct ev *e, const struct actor *a)
{
	(void)a;
	return e->lport == 12001 || e->rport == 12001;
}

static bool keep_udp6(const struct ev *e, const struct actor *a)
{
	(void)a;
	return !strcmp(e->proto, "udp") && e->family == 6;
}

static bool keep_accept(const struct ev *e, const struct actor *a)
{
	(void)a;
	return !strcmp(e->event, "accept");
}

static bool keep_fail(const struct ev *e, const struct actor *a)
{
	(void)a;
	return !strcmp(e->event, "fail");
}

static bool keep_close(const struct ev *e, const struct actor *a)
{
	(void)a;
	return !strcmp(e->event, "close");
}

static bool keep_refused_comm(const struct ev *e, const struct actor *a)
{
	(void)a;
	return !strcmp(e->comm, "st-refused");
}

#define NOBODY 65534

static bool keep_nobody(const struct ev *e, const struct actor *a)
{
	(void)a;
	return e->uid == NOBODY;
}

/* "@pid1" in args stands for the pid of the scenario's second actor */
static const struct filter filter_pid = { { "--pid", "@pid1" }, keep_first_client };
static const struct filter filter_port = { { "--port", "12001" }, keep_port_12001 };
static const struct filter filter_udp6 = { { "--udp", "-6" }, keep_udp6 };
static const struct filter filter_accept = { { "--events", "accept" }, keep_accept };
static const struct filter filter_fail = { { "--fail" }, keep_fail };
static const struct filter filter_close = { { "--events", "close" }, keep_close };
static const struct filter filter_comm = { { "--comm", "st-refused" }, keep_refused_comm };
static const struct filter filter_uid = { { "--uid", "65534" }, keep_nobody };

/* a name any local user can give a process: escape sequences, quotes, a backslash,
 * a byte that is not UTF-8, a control byte (15 bytes: what the kernel keeps) */
#define HOSTILE "\x1b]0;pwn\x07\"\\\xff\x01\x1b[2"
#define HOSTILE_TRIO \
	{ .kind = TCP_SERVER, .family = AF_INET, .addr = "127.0.0.1", .port = 12000, .count = 1, \
	  .comm = HOSTILE }, \
	{ .kind = TCP_CLIENT, .family = AF_INET, .addr = "127.0.0.1", .port = 12000, \
	  .comm = HOSTILE }, \
	{ .kind = UDP_CONNECTED, .family = AF_INET6, .addr = "::1", .port = 9003, .count = 3, \
	  .comm = HOSTILE }

#define SRV(fam, ip, p, n) \
	{ .kind = TCP_SERVER, .family = fam, .addr = ip, .port = p, .count = n, .comm = "st-server" }
#define CLI(fam, ip, p) \
	{ .kind = TCP_CLIENT, .family = fam, .addr = ip, .port = p, .comm = "st-client" }
/* a server that reads rx and writes tx bytes per connection, and its client */
#define SRVB(fam, ip, p, n, t, r) \
	{ .kind = TCP_SERVER, .family = fam, .addr = ip, .port = p, .count = n, \
	  .comm = "st-server", .tx = t, .rx = r }
/* the client from a given local address (NULL: any) */
#define CLIBS(fam, ip, p, t, r, from) \
	{ .kind = TCP_CLIENT, .family = fam, .addr = ip, .port = p, .comm = "st-client", \
	  .tx = t, .rx = r, .src = from }
#define CLIB(fam, ip, p, t, r) CLIBS(fam, ip, p, t, r, NULL)
#define REFUSED(fam, ip, p) \
	{ .kind = TCP_REFUSED, .family = fam, .addr = ip, .port = p, .comm = "st-refused" }
#define TIMEOUT(ip, p) \
	{ .kind = TCP_TIMEOUT, .family = AF_INET, .addr = ip, .port = p, .comm = "st-timeout" }
#define UDPU(fam, ip, p, p2, n) \
	{ .kind = UDP_UNCONNECTED, .family = fam, .addr = ip, .port = p, .port2 = p2, .count = n, \
	  .comm = "st-udp" }
#define UDPC(fam, ip, p, n) \
	{ .kind = UDP_CONNECTED, .family = fam, .addr = ip, .port = p, .count = n, .comm = "st-udpc" }
#define UDPLATE(fam, ip, p, ms) \
	{ .kind = UDP_CONNECTED, .family = fam, .addr = ip, .port = p, .count = 1, .start_ms = ms, \
	  .background = true, .comm = "st-udpc" }
#define UDPGAP(fam, ip, p, n, gap) \
	{ .kind = UDP_CONNECTED, .family = fam, .addr = ip, .port = p, .count = n, \
	  .comm = "st-udpc", .gap_ms = gap }

/* a connection on 12777, then 40 on 12000 that reuse its sockets (on CPU 0) */
#define LATE_ACTORS \
	{ .kind = TCP_SERVER, .family = AF_INET, .addr = "127.0.0.1", .port = 12777, \
	  .count = 1, .comm = "st-lost" }, \
	{ .kind = TCP_CLIENT, .family = AF_INET, .addr = "127.0.0.1", .port = 12777, \
	  .comm = "st-lost" }, \
	{ .kind = TCP_SERVER, .family = AF_INET, .addr = "127.0.0.1", .port = 12000, \
	  .count = 40, .comm = "st-reuse" }, \
	{ .kind = TCP_STORM, .family = AF_INET, .addr = "127.0.0.1", .port = 12000, \
	  .count = 40, .comm = "st-reuse" }

static struct scenario scenarios[] = {
	{ "tcp4_textbook", "server on 127.0.0.1:12000, 3 clients: 3 connects, 3 accepts",
	  { SRV(AF_INET, "127.0.0.1", 12000, 3), CLI(AF_INET, "127.0.0.1", 12000),
	    CLI(AF_INET, "127.0.0.1", 12000), CLI(AF_INET, "127.0.0.1", 12000) }, 4, NULL, false, false, { NULL }, false, 0, false },
	{ "tcp6_textbook", "the same over ::1",
	  { SRV(AF_INET6, "::1", 12000, 3), CLI(AF_INET6, "::1", 12000),
	    CLI(AF_INET6, "::1", 12000), CLI(AF_INET6, "::1", 12000) }, 4, NULL, false, false, { NULL }, false, 0, false },
	{ "tcp_v4mapped", "a v6 socket to ::ffff:127.0.0.1 is shown as IPv4",
	  { SRV(AF_INET6, "::", 12000, 1), CLI(AF_INET6, "::ffff:127.0.0.1", 12000) }, 2, NULL,
	  false, false, { NULL }, false, 0, false },
	{ "udp_unconnected", "one socket, sendto 2 destinations x100: 2 udp events",
	  { UDPU(AF_INET, "127.0.0.1", 9001, 9002, 100) }, 1, NULL, false, false, { NULL }, false, 0, false },
	{ "udp_connected", "a connected UDP socket, 100 datagrams: 1 udp event",
	  { UDPC(AF_INET, "127.0.0.1", 9003, 100) }, 1, NULL, false, false, { NULL }, false, 0, false },
	{ "udp6", "IPv6 UDP, unconnected and connected",
	  { UDPU(AF_INET6, "::1", 9001, 9002, 20), UDPC(AF_INET6, "::1", 9003, 20) }, 2, NULL,
	  false, false, { NULL }, false, 0, false },
	{ "filter_pid", "--pid of one client: only its connect",
	  { SRV(AF_INET, "127.0.0.1", 12000, 2), CLI(AF_INET, "127.0.0.1", 12000),
	    CLI(AF_INET, "127.0.0.1", 12000), UDPC(AF_INET, "127.0.0.1", 9003, 5) }, 4,
	  &filter_pid, false, false, { NULL }, false, 0, false },
	{ "filter_port", "--port 12001: only connections to the second server",
	  { SRV(AF_INET, "127.0.0.1", 12000, 1), SRV(AF_INET, "127.0.0.1", 12001, 2),
	    CLI(AF_INET, "127.0.0.1", 12000), CLI(AF_INET, "127.0.0.1", 12001),
	    CLI(AF_INET6, "::ffff:127.0.0.1", 12001), UDPC(AF_INET, "127.0.0.1", 9003, 5) }, 6,
	  &filter_port, false, false, { NULL }, false, 0, false },
	{ "filter_udp6", "--udp -6: only IPv6 UDP flows",
	  { SRV(AF_INET6, "::1", 12000, 1), CLI(AF_INET6, "::1", 12000),
	    UDPC(AF_INET, "127.0.0.1", 9003, 5), UDPC(AF_INET6, "::1", 9004, 5) }, 4,
	  &filter_udp6, false, false, { NULL }, false, 0, false },
	{ "filter_events", "--events accept: only accepts",
	  { SRV(AF_INET, "127.0.0.1", 12000, 2), CLI(AF_INET, "127.0.0.1", 12000),
	    CLI(AF_INET6, "::ffff:127.0.0.1", 12000), UDPC(AF_INET, "127.0.0.1", 9003, 5) }, 4,
	  &filter_accept, false, false, { NULL }, false, 0, false },
	{ "text_stream", "the plain text stream shows the same events",
	  { SRVB(AF_INET6, "::1", 12000, 1, 70, 7), CLIB(AF_INET6, "::1", 12000, 7, 70),
	    REFUSED(AF_INET, "127.0.0.1", 12999), UDPC(AF_INET, "127.0.0.1", 9003, 5) }, 4, NULL,
	  true, false, { NULL }, false, 0, false },
	{ "tcp_bytes", "1000 bytes one way, 2500 back: both close events say so exactly",
	  { SRVB(AF_INET, "127.0.0.1", 12000, 1, 2500, 1000),
	    CLIB(AF_INET, "127.0.0.1", 12000, 1000, 2500) }, 2, NULL, false, false, { NULL }, false, 0, false },
	{ "tcp_bytes6", "the same over IPv6, 3 clients, 100000 bytes each way",
	  { SRVB(AF_INET6, "::1", 12000, 3, 100000, 100000),
	    CLIB(AF_INET6, "::1", 12000, 100000, 100000), CLIB(AF_INET6, "::1", 12000, 100000, 100000),
	    CLIB(AF_INET6, "::1", 12000, 100000, 100000) }, 4, NULL, false, false, { NULL }, false, 0, false },
	{ "tcp_refused", "a connect to a closed port: connect, then fail (refused)",
	  { REFUSED(AF_INET, "127.0.0.1", 12999), REFUSED(AF_INET6, "::1", 12999) }, 2, NULL,
	  false, false, { NULL }, false, 0, false },
	{ "tcp_timeout", "a connect whose SYN goes nowhere: connect, then fail (timeout) after ~3 s; "
	  "the connect is streamed while it hangs (before a datagram sent 1 s in)",
	  { UDPLATE(AF_INET, "127.0.0.1", 9003, 1000), TIMEOUT("192.0.2.1", 12999) }, 2, NULL,
	  false, false, { NULL }, false, 0, false },
	{ "filter_fail", "--fail: only the failed connect",
	  { SRV(AF_INET, "127.0.0.1", 12000, 1), CLI(AF_INET, "127.0.0.1", 12000),
	    REFUSED(AF_INET, "127.0.0.1", 12999), UDPC(AF_INET, "127.0.0.1", 9003, 5) }, 4,
	  &filter_fail, false, false, { NULL }, false, 0, false },
	{ "filter_comm", "--comm st-refused: only that process",
	  { SRV(AF_INET, "127.0.0.1", 12000, 1), CLI(AF_INET, "127.0.0.1", 12000),
	    REFUSED(AF_INET, "127.0.0.1", 12999) }, 3, &filter_comm, false, false, { NULL }, false, 0, false },
	{ "filter_uid", "--uid 65534: only what the processes of user nobody did, with that uid",
	  { SRV(AF_INET, "127.0.0.1", 12000, 2),
	    { .kind = TCP_CLIENT, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
	      .comm = "st-nobody", .run_as = NOBODY },
	    CLI(AF_INET, "127.0.0.1", 12000),
	    { .kind = UDP_CONNECTED, .family = AF_INET, .addr = "127.0.0.1", .port = 9003,
	      .count = 5, .comm = "st-nobody", .run_as = NOBODY },
	    UDPC(AF_INET, "127.0.0.1", 9004, 5) }, 5, &filter_uid, false, false, { NULL }, false, 0, false },
	{ "udp_idle", "--udp-idle 1: a flow idle for 2.5 s is reported again",
	  { UDPGAP(AF_INET, "127.0.0.1", 9003, 3, 2500) }, 1, NULL, false, false, { "--udp-idle=1" }, false, 0, false },
	{ "hostile_comm", "a hostile process name: every JSON line parses and gives its bytes back",
	  { HOSTILE_TRIO }, 3, NULL, false, false, { NULL }, false, 0, false },
	{ "hostile_comm_text", "the same in text: escaped, no raw byte reaches the terminal",
	  { HOSTILE_TRIO }, 3, NULL, true, false, { NULL }, false, 0, false },
	{ "overload", "consumer stalled, 4K ring buffer, 400 connects: drops counted exactly",
	  { { .kind = TCP_SERVER, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
	      .count = 400, .comm = "st-storm" },
	    { .kind = TCP_STORM, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
	      .count = 400, .comm = "st-storm" } }, 2, NULL, false, true,
	  { "--stream", "--buffer-size=4096", "--comm=st-storm" }, true, 0, false },
	{ "reset_before_accept", "3 connections reset by the client before the server accepts "
	  "them: connect, accept and both closes each",
	  { { .kind = TCP_SERVER, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
	      .count = 3, .comm = "st-server", .gap_ms = 500 },
	    { .kind = TCP_RESETTER, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
	      .count = 3, .comm = "st-resetter" } }, 2, NULL, false, false, { NULL }, false, 0, false },
	{ .name = "late_close", .what = "two closes socktrace is made to miss (SOCKTRACE_TEST_LOSE_CLOSE_PORT"
	  "=12777) go out late, marked, once the kernel reuses their sockets for the 40 "
	  "connections that follow",
	  .actors = { LATE_ACTORS }, .n_actors = 4, .lose_close_port = 12777, .one_cpu = true },
	{ .name = "late_close_only", .what = "the same with --events close: the opens are not "
	  "streamed, the late closes still are, in the opens' network namespace",
	  .actors = { LATE_ACTORS }, .n_actors = 4, .filter = &filter_close,
	  .lose_close_port = 12777, .one_cpu = true },
	{ "summary_textbook", "--summary: the server's row has 4 accepts from 3 peers (hosts), port 12000",
	  { SRVB(AF_INET, "127.0.0.1", 12000, 4, 10, 20), CLIB(AF_INET, "127.0.0.1", 12000, 20, 10),
	    CLIBS(AF_INET, "127.0.0.1", 12000, 20, 10, "127.0.0.2"),
	    CLIBS(AF_INET, "127.0.0.1", 12000, 20, 10, "127.0.0.3"),
	    CLIBS(AF_INET, "127.0.0.1", 12000, 20, 10, "127.0.0.3") },
	  5, NULL, false, true, { NULL }, false, 0, false },
	{ "summary_mixed", "--summary: UDP packets and bytes, a failure, IPv6",
	  { SRVB(AF_INET6, "::1", 12000, 1, 300, 200), CLIB(AF_INET6, "::1", 12000, 200, 300),
	    REFUSED(AF_INET, "127.0.0.1", 12999), UDPC(AF_INET, "127.0.0.1", 9003, 100),
	    UDPU(AF_INET6, "::1", 9001, 9002, 50) }, 5, NULL, false, true, { NULL }, false, 0, false },
};

#define N_SCENARIOS ((int)(sizeof(scenarios) / sizeof(scenarios[0])))

/* A backend that can't work here must fail cleanly: non-zero, one line on stderr. */
static int expect_unavailable(void)
{
	char *argv[] = { (char *)socktrace_path, "--backend", (char *)backend, "-d", "1", NULL };
	struct tracer t = {};
	int status, lines = 0;
	char *err;

	snprintf(t.out, sizeof(t.out), "%s/st-live.%d.out", tmpdir, getpid());
	snprintf(t.err, sizeof(t.err), "%s/st-live.%d.err", tmpdir, getpid());
	t.pid = fork();
	if (t.pid == 0) {
		int o = open(t.out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(t.err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(o, 1);
		dup2(e, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(t.pid, &status, 0);
	t.pid = 0;
	err = slurp(t.err);
	for (char *p = err; *p; p++)
		lines += *p == '\n';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1 && lines == 1 &&
	    strstr(err, "backend does not work here")) {
		printf("PASS unavailable_%s\n1 passed, 0 failed\n", backend);
		free(err);
		tracer_cleanup(&t);
		return 0;
	}
	printf("FAIL unavailable_%s: status %d, stderr: %s\n0 passed, 1 failed\n", backend,
	       status, err);
	free(err);
	tracer_cleanup(&t);
	return 1;
}

static bool selected(const char *only, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = only; p && *p;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return true;
		p = c ? c + 1 : p + len;
	}
	return !only;
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	bool unavailable = false;
	int passed = 0, failed = 0, retries = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--socktrace") && i + 1 < argc) {
			socktrace_path = argv[++i];
		} else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			backend = argv[++i];
		} else if (!strcmp(argv[i], "--expect-backend") && i + 1 < argc) {
			expect_backend = argv[++i];
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--traffic") && i + 1 < argc) {
			traffic_only = true;
			only = argv[++i];
		} else if (!strcmp(argv[i], "--retries") && i + 1 < argc) {
			retries = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--expect-unavailable")) {
			unavailable = true;
		} else if (!strcmp(argv[i], "--list")) {
			for (int s = 0; s < N_SCENARIOS; s++)
				printf("%-16s %s\n", scenarios[s].name, scenarios[s].what);
			return 0;
		} else {
			fprintf(stderr, "st-live: unknown argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!socktrace_path && !traffic_only) {
		fprintf(stderr, "st-live: --socktrace PATH is required\n");
		return 2;
	}
	if (getenv("TMPDIR"))
		tmpdir = getenv("TMPDIR");
	mkdir(tmpdir, 01777);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unavailable)
		return expect_unavailable();
	for (int s = 0; s < N_SCENARIOS; s++) {
		char why[2048] = "";

		if (!selected(only, scenarios[s].name))
			continue;
		int rc = run_scenario(&scenarios[s], why, sizeof(why));

		/* a failure is tried once more, and said: a flake stays visible */
		for (int r = 0; rc && r < retries; r++) {
			for (char *c = why; *c; c++)
				if (*c == '\n' || *c == '\r')
					*c = ' ';
			printf("RETRY %s: %s\n", scenarios[s].name, why);
			rc = run_scenario(&scenarios[s], why, sizeof(why));
		}
		if (rc == 0) {
			printf("PASS %s\n", scenarios[s].name);
			passed++;
		} else {
			for (char *c = why; *c; c++)	/* one line per result */
				if (*c == '\n' || *c == '\r')
					*c = ' ';
			printf("FAIL %s: %s\n", scenarios[s].name, why);
			failed++;
		}
	}
	if (passed + failed == 0) {
		printf("FAIL: no scenario matched --only %s\n", only);
		failed = 1;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "actor.h"
#include "actor_io.h"
#include "cgroups.h"
#include "ev.h"
#include "net.h"
#include "util.h"

int actor_results_fd = -1;
int actor_ready_fd = -1;
static const char *actor_who;	/* what this actor's events carry of its cgroup (actor.h) */

/* the event this socket's local and peer ends make */
void ev_of_socket(struct ev *e, const char *type, const char *proto, int fd,
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
void ev_close(struct ev *c, const struct ev *e, unsigned tx, unsigned rx)
{
	*c = *e;
	copy_str(c->event, sizeof(c->event), "close");
	c->tx = tx;
	c->rx = rx;
}

void report(const struct ev *e)
{
	struct ev w;

	if (actor_who) {
		w = *e;
		copy_str(w.who, sizeof(w.who), actor_who);
		e = &w;
	}
	if (write(actor_results_fd, e, sizeof(*e)) != (ssize_t)sizeof(*e))
		die("write result");
}

int tcp_listen(const struct actor *a)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	int one = 1, fd = socket(a->family, SOCK_STREAM, 0);
	struct ev e;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, sl) || listen(fd, 16))
		die("server %s:%u", a->addr, a->port);
	ev_of_socket(&e, "listen", "tcp", fd, &ss, a->comm);
	copy_str(e.raddr, sizeof(e.raddr), a->family == AF_INET6 ? "::" : "0.0.0.0");
	e.family = a->family == AF_INET6 ? 6 : 4;
	e.rport = 0;
	report(&e);
	if (write(actor_ready_fd, "r", 1) != 1)
		die("ready");
	usleep(a->gap_ms * 1000);
	return fd;
}

void serve(const struct actor *a, int c, const struct sockaddr_storage *peer)
{
	struct ev e, cl;

	ev_of_socket(&e, "accept", "tcp", c, peer, a->comm);
	report(&e);
	recv_exactly(c, a->rx);
	send_all(c, a->tx);
	close(c);	/* the server closes first */
	ev_close(&cl, &e, a->tx, a->rx);
	report(&cl);
}

void client_talk_named(const struct actor *a, int fd, const char *rname)
{
	struct ev e, cl;
	char c;

	ev_of_socket(&e, "connect", "tcp", fd, NULL, a->comm);
	copy_str(e.rname, sizeof(e.rname), rname ? rname : "");
	report(&e);
	send_all(fd, a->tx);
	recv_exactly(fd, a->rx);
	if (read(fd, &c, 1) != 0)	/* the server's FIN */
		die("expected the end of the stream");
	close(fd);
	ev_close(&cl, &e, a->tx, a->rx);
	report(&cl);
}

void client_talk(const struct actor *a, int fd)
{
	client_talk_named(a, fd, NULL);
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

void run_actor(const struct actor *a, const struct actor_run *r)
{
	struct sockaddr_storage ss, ss2;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	int fd;
	char b;
	struct ev e;

	prctl(PR_SET_NAME, a->comm);
	if (a->run_as && (setgroups(0, NULL) || setresgid(a->run_as, a->run_as, a->run_as) ||
			  setresuid(a->run_as, a->run_as, a->run_as)))
		die("become uid %u", a->run_as);
	if (read(r->go[0], &b, 1) != 1)
		_exit(98);	/* the leader went away: no traffic */
	usleep(a->start_ms * 1000);
	if (a->cgroup) {	/* made now, socktrace tracing: told at its birth */
		live_cgroup_join(a->cgroup);
		actor_who = a->who;
	}
	switch (a->kind) {
	case TCP_SERVER:
		fd = tcp_listen(a);
		for (int i = 0; i < a->count; i++) {
			struct sockaddr_storage peer;
			socklen_t pl = sizeof(peer);
			int c = accept(fd, (struct sockaddr *)&peer, &pl);

			if (c < 0)
				die("accept");
			serve(a, c, &peer);
		}
		close(fd);
		break;
	case TCP_CLIENT:
		fd = socket(a->family, SOCK_STREAM, 0);
		if (fd >= 0 && a->src) {
			struct sockaddr_storage local;
			socklen_t ll = make_addr(a->family, a->src, 0, &local);

			if (bind(fd, (struct sockaddr *)&local, ll))
				die("bind %s", a->src);
		}
		if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl))
			die("connect %s:%u", a->addr, a->port);
		client_talk(a, fd);
		break;
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
		 * kernel gives up after ~3 s (TCP_TIMEOUT_MS) with ETIMEDOUT.
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
		copy_str(e.dir, sizeof(e.dir), "out");
		e.packets = e.bytes = (unsigned long long)a->count;	/* one byte each */
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
	case IOU_SERVER:
		iou_server(a);
		break;
	case IOU_CLIENT:
		iou_client(a);
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
		copy_str(e.dir, sizeof(e.dir), "out");
		e.packets = e.bytes = (unsigned long long)a->count;	/* one byte each */
		report(&e);
		ev_of_socket(&e, "udp", "udp", fd, &ss2, a->comm);
		copy_str(e.dir, sizeof(e.dir), "out");
		e.packets = e.bytes = (unsigned long long)a->count;
		report(&e);
		close(fd);
		break;
	}
	case UDP_RECEIVER:
	case UDP_SENDER:
	case UDP_FLOOD:
		run_udp_in_actor(a);
		break;
	case DNS_SERVER:
	case DNS_CLIENT:
	case DNS_TCP_SERVER:
	case DNS_TCP_CLIENT:
		run_dns_actor(a);
		break;
	default:	/* connects that fail before any SYN (actors_failsyn.c) */
		run_failsyn_actor(a);
		break;
	}
	_exit(0);
}

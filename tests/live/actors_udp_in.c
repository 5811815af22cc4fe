// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: the received side of UDP. A receive-only server (UDP_RECEIVER)
 * reads exactly count datagrams in one of several ways (recv(), read(),
 * recvmmsg(), io_uring, MSG_PEEK first); its senders (UDP_SENDER: one connected
 * socket; UDP_FLOOD: one datagram from each of count ports) put their own
 * source in every datagram (struct udp_rec), so that the server knows each
 * datagram's flow even through read(), and reports, once it has read them
 * all, the flows socktrace must show with their datagrams and bytes: its
 * sources, the first UDP_IN_PER_PORT one by one and the rest folded per
 * address (socktrace's bound, ST_UDP_IN_FLOWS_PER_PORT).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "actor_io.h"
#include "net.h"
#include "udp_in.h"
#include "util.h"

#define MMSG_BATCH	8
#define MAX_SOURCES	16384	/* distinct (address, port) a server tells apart */

/* a sender's own end, as getsockname() gives it */
static void rec_of_socket(struct udp_rec *r, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	memset(r, 0, sizeof(*r));
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		die("getsockname");
	if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;

		r->family = 6;
		r->port = ntohs(s6->sin6_port);
		memcpy(r->addr, &s6->sin6_addr, 16);
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;

		r->family = 4;
		r->port = ntohs(s4->sin_port);
		memcpy(r->addr, &s4->sin_addr, 4);
	}
}

/* UDP_SENDER: count datagrams from one connected socket, its out flow reported */
static void udp_sender(const struct actor *a)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	int fd = socket(a->family, SOCK_DGRAM, 0);
	struct udp_rec r;
	struct ev e;

	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl))
		die("udp sender connect %s:%u", a->addr, a->port);
	rec_of_socket(&r, fd);
	for (int i = 0; i < a->count; i++)
		if (send(fd, &r, sizeof(r), 0) != (ssize_t)sizeof(r))
			die("udp sender send");
	ev_of_socket(&e, "udp", "udp", fd, NULL, a->comm);
	copy_str(e.dir, sizeof(e.dir), "out");
	e.packets = (unsigned long long)a->count;
	e.bytes = e.packets * sizeof(r);
	report(&e);
	close(fd);
}

/* UDP_FLOOD: one datagram from each port of port2 .. port2 + count - 1 (not reported) */
static void udp_flood(const struct actor *a)
{
	struct sockaddr_storage ss, from;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	const char *any = a->family == AF_INET6 ? "::1" : "127.0.0.1";

	for (int i = 0; i < a->count; i++) {
		socklen_t fl = make_addr(a->family, any, a->port2 + (unsigned)i, &from);
		int fd = socket(a->family, SOCK_DGRAM, 0);
		struct udp_rec r;

		if (fd < 0 || bind(fd, (struct sockaddr *)&from, fl))
			die("flood bind port %u", a->port2 + (unsigned)i);
		rec_of_socket(&r, fd);
		if (sendto(fd, &r, sizeof(r), 0, (struct sockaddr *)&ss, sl) != (ssize_t)sizeof(r))
			die("flood sendto");
		close(fd);
	}
}

struct sources {
	struct udp_rec seen[MAX_SOURCES];	/* one by one, then folded (port 0) */
	unsigned long long packets[MAX_SOURCES];
	int n, one_by_one;
};

static bool same_source(const struct udp_rec *a, const struct udp_rec *b)
{
	return a->family == b->family && a->port == b->port && !memcmp(a->addr, b->addr, 16);
}

/* a datagram from r: counted on its flow, a new one if need be */
static void source_seen(struct sources *s, struct udp_rec r)
{
	int i;

	for (i = 0; i < s->n && !same_source(&s->seen[i], &r); i++)
		;
	if (i == s->n && s->one_by_one < UDP_IN_PER_PORT) {
		s->one_by_one++;
	} else if (i == s->n) {
		r.port = 0;	/* folded: this address's flow, every port */
		for (i = 0; i < s->n && !same_source(&s->seen[i], &r); i++)
			;
	}
	if (i == s->n) {
		if (s->n == MAX_SOURCES)
			die("more than %d sources", MAX_SOURCES);
		s->seen[s->n++] = r;
	}
	s->packets[i]++;
}

/* the flows of server fd, each with its datagrams and bytes */
static void report_sources(const struct sources *s, int fd, const struct actor *a)
{
	for (int i = 0; i < s->n; i++) {
		const struct udp_rec *r = &s->seen[i];
		struct sockaddr_storage peer = {};
		struct ev e;

		if (r->family == 6) {
			struct sockaddr_in6 *p6 = (struct sockaddr_in6 *)&peer;

			p6->sin6_family = AF_INET6;
			p6->sin6_port = htons(r->port);
			memcpy(&p6->sin6_addr, r->addr, 16);
		} else {
			struct sockaddr_in *p4 = (struct sockaddr_in *)&peer;

			p4->sin_family = AF_INET;
			p4->sin_port = htons(r->port);
			memcpy(&p4->sin_addr, r->addr, 4);
		}
		ev_of_socket(&e, "udp", "udp", fd, &peer, a->comm);
		copy_str(e.dir, sizeof(e.dir), "in");
		e.folded = r->port == 0;
		e.packets = s->packets[i];
		e.bytes = s->packets[i] * sizeof(*r);
		report(&e);
	}
}

/* one datagram into r by a's way of reading (MSG_PEEK first, twice, if asked) */
static void recv_one(int fd, const struct actor *a, struct udp_rec *r)
{
	ssize_t n;

	if (a->recv & RECV_PEEK)
		for (int k = 0; k < 2; k++)
			if (recv(fd, r, sizeof(*r), MSG_PEEK) != (ssize_t)sizeof(*r))
				die("recv MSG_PEEK");
	if (a->recv & RECV_IOU)
		n = iou_recv(fd, r, sizeof(*r), a);
	else
		n = a->recv & RECV_READ ? read(fd, r, sizeof(*r)) : recv(fd, r, sizeof(*r), 0);
	if (n != (ssize_t)sizeof(*r))
		die("udp server: a datagram of %zd bytes", n);
}

/* UDP_RECEIVER: read exactly count datagrams (at most 10 s for each) */
static void udp_receiver(const struct actor *a)
{
	static struct sources src;
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	int fd = socket(a->family, SOCK_DGRAM, 0), big = 64 << 20;
	struct timeval tv = { .tv_sec = 10 };
	int got = 0;

	/* the whole flood fits in the buffer: no datagram is dropped before it is read */
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(fd, (struct sockaddr *)&ss, sl))
		die("udp server %s:%u", a->addr, a->port);
	if (write(actor_ready_fd, "r", 1) != 1)
		die("ready");
	while (got < a->count) {
		struct udp_rec r[MMSG_BATCH];

		if (a->recv & RECV_MMSG) {
			struct mmsghdr m[MMSG_BATCH] = {};
			struct iovec iov[MMSG_BATCH];
			int want = a->count - got < MMSG_BATCH ? a->count - got : MMSG_BATCH, n;

			for (int i = 0; i < want; i++) {
				iov[i] = (struct iovec){ &r[i], sizeof(r[i]) };
				m[i].msg_hdr.msg_iov = &iov[i];
				m[i].msg_hdr.msg_iovlen = 1;
			}
			n = recvmmsg(fd, m, (unsigned)want, MSG_WAITFORONE, NULL);
			if (n <= 0)
				die("recvmmsg");
			for (int i = 0; i < n; i++)
				source_seen(&src, r[i]);
			got += n;
		} else {
			recv_one(fd, a, &r[0]);
			source_seen(&src, r[0]);
			got++;
		}
	}
	report_sources(&src, fd, a);
	close(fd);
}

void run_udp_in_actor(const struct actor *a)
{
	if (a->kind == UDP_RECEIVER)
		udp_receiver(a);
	else if (a->kind == UDP_SENDER)
		udp_sender(a);
	else
		udp_flood(a);
}

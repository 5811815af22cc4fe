// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: DNS over TCP (README, "DNS answers: -e dns"). A server
 * (DNS_TCP_SERVER) takes one connection and answers count queries on it,
 * each answer after its 2-byte length in one write (one segment on
 * loopback), until the client closes. The client (DNS_TCP_CLIENT) connects,
 * asks the zone on the connection (dns_ask.c), closes, and with port2 then
 * connects to the answered address. Both report their connection's events:
 * these scenarios select the TCP events beside the dns ones.
 */
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "actor_io.h"
#include "dns_ask.h"
#include "dns_msg.h"
#include "dns_zone.h"
#include "net.h"
#include "util.h"

#define QUERY_ID	0x5300	/* the first query's id; the next ones count up */

static void wait_bounded(int fd)
{
	struct timeval tv = { .tv_sec = DNS_WAIT_S };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("SO_RCVTIMEO");
}

/* DNS_TCP_SERVER: one connection, count queries answered from the zone, closed after the client */
static void dns_tcp_server(const struct actor *a)
{
	int lfd = tcp_listen(a);
	struct sockaddr_storage peer;
	socklen_t pl = sizeof(peer);
	int c = accept(lfd, (struct sockaddr *)&peer, &pl);
	unsigned tx = 0, rx = 0;
	struct ev e, cl;

	if (c < 0)
		die("dns tcp accept");
	wait_bounded(c);
	ev_of_socket(&e, "accept", "tcp", c, &peer, a->comm);
	report(&e);
	for (int i = 0;; i++) {
		uint8_t msg[DNS_MSG_MAX], out[DNS_MSG_MAX];
		size_t n = dns_tcp_recv(c, msg);

		if (!n && i == a->count)
			break;	/* the client is done */
		if (!n || i == a->count)
			die("dns tcp server: %d queries, expected %d", i + (n != 0), a->count);
		rx += (unsigned)n + 2;
		tx += (unsigned)dns_tcp_send(c, out, dns_zone_answer(msg, n, out));
	}
	close(c);
	close(lfd);
	ev_close(&cl, &e, tx, rx);
	report(&cl);
}

/*
 * DNS_TCP_CLIENT: the zone asked on one connection (dns_ask_zone()); with
 * port2, the answer connected to
 */
static void dns_tcp_client(const struct actor *a)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	struct dns_ask s = { .fd = socket(a->family, SOCK_STREAM, 0), .tcp = true };
	char first[INET6_ADDRSTRLEN];
	struct ev e, cl;

	if (s.fd < 0 || connect(s.fd, (struct sockaddr *)&ss, sl))
		die("dns tcp connect %s:%u", a->addr, a->port);
	wait_bounded(s.fd);
	ev_of_socket(&e, "connect", "tcp", s.fd, NULL, a->comm);
	report(&e);
	dns_ask_zone(a, &s, QUERY_ID, first, sizeof(first));
	close(s.fd);	/* first: the server reads the end of the stream, then closes */
	ev_close(&cl, &e, s.tx, s.rx);
	report(&cl);
	if (a->port2)
		dns_connect_answer(a, first);
}

void run_dns_tcp_actor(const struct actor *a)
{
	if (a->kind == DNS_TCP_SERVER)
		dns_tcp_server(a);
	else
		dns_tcp_client(a);
}

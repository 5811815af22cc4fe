// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: DNS over UDP. A tiny server (DNS_SERVER) answers the zone
 * (dns_zone.c) over UDP. A client (DNS_CLIENT) asks it raw queries on a
 * connected UDP socket, as Go's resolver does, checks each answer, and
 * reports the dns event socktrace must show for it (dns_ask.c); with port2
 * it then connects over TCP to the answered address, a connect that must
 * carry the asked name (rname). The server reports nothing: its datagrams
 * are udp events, which these scenarios do not select. Over TCP:
 * actors_dns_tcp.c.
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

#define QUERY_ID	0x5100	/* the first query's id; the next ones count up */

static int dgram_socket(const struct actor *a)
{
	struct timeval tv = { .tv_sec = DNS_WAIT_S };
	int fd = socket(a->family, SOCK_DGRAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("dns socket");
	return fd;
}

/* DNS_SERVER: count queries answered, each from the zone */
static void dns_server(const struct actor *a)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	int fd = dgram_socket(a);

	if (bind(fd, (struct sockaddr *)&ss, sl))
		die("dns server %s:%u", a->addr, a->port);
	if (write(actor_ready_fd, "r", 1) != 1)
		die("ready");
	for (int i = 0; i < a->count; i++) {
		uint8_t msg[DNS_MSG_MAX], out[DNS_MSG_MAX];
		struct sockaddr_storage peer;
		socklen_t pl = sizeof(peer);
		ssize_t n = recvfrom(fd, msg, sizeof(msg), 0, (struct sockaddr *)&peer, &pl);
		size_t len;

		if (n < 0)
			die("dns server: no query");
		len = dns_zone_answer(msg, (size_t)n, out);
		if (sendto(fd, out, len, 0, (struct sockaddr *)&peer, pl) != (ssize_t)len)
			die("dns server sendto");
	}
	close(fd);
}

/* DNS_CLIENT: the zone asked (dns_ask_zone()); with port2, the answer connected to */
static void dns_client(const struct actor *a)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	struct dns_ask s = { .fd = dgram_socket(a) };
	char first[INET6_ADDRSTRLEN];

	if (connect(s.fd, (struct sockaddr *)&ss, sl))
		die("dns client connect %s:%u", a->addr, a->port);
	dns_ask_zone(a, &s, QUERY_ID, first, sizeof(first));
	close(s.fd);
	if (a->port2)
		dns_connect_answer(a, first);
}

void run_dns_actor(const struct actor *a)
{
	if (a->kind == DNS_SERVER)
		dns_server(a);
	else if (a->kind == DNS_CLIENT)
		dns_client(a);
	else
		run_dns_tcp_actor(a);
}

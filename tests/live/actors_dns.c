// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: DNS. A tiny server (DNS_SERVER) answers a fixed zone over UDP: an
 * A query for DNS_ANSWERED with one record, any other question with
 * NXDOMAIN. A client (DNS_CLIENT) asks it raw queries on a connected UDP
 * socket, as Go's resolver does, checks each answer, and reports the dns
 * event socktrace must show for it; with port2 it then connects over TCP to
 * the answered address, a connect that must carry the asked name (rname).
 * The server reports nothing: its datagrams are udp events, which these
 * scenarios do not select.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "actor_io.h"
#include "dns_msg.h"
#include "dns_zone.h"
#include "net.h"
#include "util.h"

#define QUERY_ID	0x5100	/* the first query's id; the next ones count up */
#define WAIT_S		10	/* a datagram's wait, at most */

struct zone_name {
	/* labels after their length bytes; the string's own 0 is the root */
	const char *wire;
	/* socktrace's qname: lower-cased, '.' and '\' in a label as "\." and
	 * "\\", a byte outside 0x21-0x7e as "\DDD" (user/dns_parse.h) */
	const char *text;
};

/*
 * The answered name first (dns_zone.h). The third is a stranger's name to
 * escape: one label with an upper-case letter, a '.', a '"', a '\' and the
 * byte 0x01.
 */
static const struct zone_name zone[DNS_ZONE_NAMES] = {
	{ "\x02" "st" "\x04" "test", DNS_ANSWERED },
	{ "\x02" "nx" "\x04" "test", "nx.test" },
	{ "\x06" "A.b\"\\\x01" "\x04" "test", "a\\.b\"\\\\\\001.test" },
};

/* q is answered with a record: an A query for the zone's first name */
static bool answered(const struct dns_question *q)
{
	return q->qtype == DNS_T_A && q->name_len == strlen(zone[0].wire) + 1 &&
	       !memcmp(q->name, zone[0].wire, q->name_len);
}

static int dgram_socket(const struct actor *a)
{
	struct timeval tv = { .tv_sec = WAIT_S };
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
	uint8_t addr[4];
	int fd = dgram_socket(a);

	if (bind(fd, (struct sockaddr *)&ss, sl))
		die("dns server %s:%u", a->addr, a->port);
	inet_pton(AF_INET, DNS_ANSWER_ADDR, addr);
	if (write(actor_ready_fd, "r", 1) != 1)
		die("ready");
	for (int i = 0; i < a->count; i++) {
		uint8_t msg[DNS_MSG_MAX], out[DNS_MSG_MAX];
		struct sockaddr_storage peer;
		socklen_t pl = sizeof(peer);
		ssize_t n = recvfrom(fd, msg, sizeof(msg), 0, (struct sockaddr *)&peer, &pl);
		struct dns_question q;
		size_t len;
		bool yes;

		if (n < 0 || dns_read_question(msg, (size_t)n, &q))
			die("dns server: no query (%zd bytes)", n);
		yes = answered(&q);
		len = dns_make_answer(out, msg, &q, yes ? DNS_RCODE_NOERROR : DNS_RCODE_NXDOMAIN,
				      yes ? addr : NULL, DNS_ANSWER_TTL);
		if (sendto(fd, out, len, 0, (struct sockaddr *)&peer, pl) != (ssize_t)len)
			die("dns server sendto");
	}
	close(fd);
}

/*
 * One query for z on the connected socket fd: its answer checked, its dns
 * event reported; the answered address into ip ("" with none).
 */
static void ask(const struct actor *a, int fd, const struct zone_name *z, uint16_t id,
		char ip[INET_ADDRSTRLEN])
{
	uint8_t msg[DNS_MSG_MAX];
	size_t len = dns_make_query(msg, id, (const uint8_t *)z->wire, strlen(z->wire) + 1,
				    DNS_T_A);
	bool yes = z == &zone[0];
	struct dns_reply r;
	ssize_t n;
	struct ev e;

	if (send(fd, msg, len, 0) != (ssize_t)len)
		die("dns client send");
	n = recv(fd, msg, sizeof(msg), 0);
	if (n < 0 || dns_read_answer(msg, (size_t)n, &r))
		die("dns client: no answer (%zd bytes)", n);
	ip[0] = '\0';
	if (r.n_answers)
		inet_ntop(AF_INET, r.addr, ip, INET_ADDRSTRLEN);
	if (r.id != id || r.rcode != (yes ? DNS_RCODE_NOERROR : DNS_RCODE_NXDOMAIN) ||
	    r.n_answers != (yes ? 1u : 0u) || (yes && (strcmp(ip, DNS_ANSWER_ADDR) ||
						       r.ttl != DNS_ANSWER_TTL)))
		die("dns client: answer %u rcode %u, %u records, %s/%u for %s", r.id, r.rcode,
		    r.n_answers, ip, r.ttl, z->text);
	ev_of_socket(&e, "dns", "udp", fd, NULL, a->comm);
	e.dns_id = id;
	copy_str(e.qname, sizeof(e.qname), z->text);
	copy_str(e.qtype, sizeof(e.qtype), "A");
	copy_str(e.rcode, sizeof(e.rcode), yes ? "NOERROR" : "NXDOMAIN");
	if (yes)
		snprintf(e.answers, sizeof(e.answers), "%s/%u", ip, r.ttl);
	e.latency = true;	/* the query went out while socktrace traced */
	report(&e);
}

/*
 * A TCP connect to ip:port, from the DNS server's address so that the
 * accepting end's events (their remote address is that one) are not named.
 */
static int connect_from_server_addr(const char *ip, unsigned port)
{
	struct sockaddr_storage to, from;
	socklen_t tl = make_addr(AF_INET, ip, port, &to);
	socklen_t fl = make_addr(AF_INET, DNS_SERVER_ADDR, 0, &from);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&from, fl) ||
	    connect(fd, (struct sockaddr *)&to, tl))
		die("connect %s:%u", ip, port);
	return fd;
}

/*
 * DNS_CLIENT: the zone's first count names asked; with port2, the first
 * name's answered address connected to on that port.
 */
static void dns_client(const struct actor *a)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	char ip[INET_ADDRSTRLEN], first[INET_ADDRSTRLEN] = "";
	int fd = dgram_socket(a);

	if (connect(fd, (struct sockaddr *)&ss, sl))
		die("dns client connect %s:%u", a->addr, a->port);
	for (int i = 0; i < a->count && i < DNS_ZONE_NAMES; i++) {
		ask(a, fd, &zone[i], (uint16_t)(QUERY_ID + i), ip);
		if (i == 0)
			copy_str(first, sizeof(first), ip);
	}
	close(fd);
	if (a->port2)
		client_talk_named(a, connect_from_server_addr(first, a->port2), zone[0].text);
}

void run_dns_actor(const struct actor *a)
{
	if (a->kind == DNS_SERVER)
		dns_server(a);
	else
		dns_client(a);
}

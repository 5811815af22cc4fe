// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: a DNS client's question, asked raw on a connected socket as Go's
 * resolver does (UDP), or on a connection to the server (TCP, as glibc does
 * after a truncated answer), and what socktrace must show for its answer.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "actor_io.h"
#include "dns_ask.h"
#include "dns_msg.h"
#include "dns_zone.h"
#include "net.h"
#include "util.h"

/* exactly len bytes of fd into buf: 0, or -1 at the end of the stream before any */
static int read_exactly(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n == 0 && got == 0)
			return -1;
		if (n <= 0)
			die("dns tcp: %zu of %zu bytes", got, len);
		got += (size_t)n;
	}
	return 0;
}

size_t dns_tcp_send(int fd, const uint8_t *msg, size_t len)
{
	uint8_t buf[2 + DNS_MSG_MAX];

	buf[0] = (uint8_t)(len >> 8);
	buf[1] = (uint8_t)len;
	memcpy(buf + 2, msg, len);
	if (send(fd, buf, len + 2, 0) != (ssize_t)(len + 2))
		die("dns tcp send");
	return len + 2;
}

size_t dns_tcp_recv(int fd, uint8_t *msg)
{
	uint8_t prefix[2];
	size_t len;

	if (read_exactly(fd, prefix, 2))
		return 0;
	len = (size_t)prefix[0] << 8 | prefix[1];
	if (len == 0 || len > DNS_MSG_MAX || read_exactly(fd, msg, len))
		die("dns tcp: a message of %zu bytes", len);
	return len;
}

/* the message msg (len bytes) out on s, and its answer back into msg: the answer's length */
static size_t exchange(struct dns_ask *s, uint8_t *msg, size_t len)
{
	ssize_t n;

	if (s->tcp) {
		s->tx += (unsigned)dns_tcp_send(s->fd, msg, len);
		n = (ssize_t)dns_tcp_recv(s->fd, msg);
		s->rx += (unsigned)n + 2;
		return (size_t)n;
	}
	if (send(s->fd, msg, len, 0) != (ssize_t)len)
		die("dns client send");
	n = recv(s->fd, msg, DNS_MSG_MAX, 0);
	if (n < 0)
		die("dns client: no answer");
	return (size_t)n;
}

void dns_ask(const struct actor *a, struct dns_ask *s, int i, uint16_t qtype, uint16_t id,
	     char *ip, size_t ip_len)
{
	const struct zone_name *z = &dns_zone[i];
	uint8_t msg[DNS_MSG_MAX], want[16];
	size_t len = dns_make_query(msg, id, (const uint8_t *)z->wire, strlen(z->wire) + 1, qtype);
	unsigned want_len;
	struct dns_reply r;
	struct ev e;

	dns_zone_lookup(i, qtype, want, &want_len);
	len = exchange(s, msg, len);
	if (dns_read_answer(msg, len, &r))
		die("dns client: no answer (%zu bytes)", len);
	ip[0] = '\0';
	if (r.addr_len)
		inet_ntop(r.addr_len == 16 ? AF_INET6 : AF_INET, r.addr, ip, (socklen_t)ip_len);
	if (r.id != id || r.rcode != (want_len ? DNS_RCODE_NOERROR : DNS_RCODE_NXDOMAIN) ||
	    r.n_answers != (want_len ? 1u : 0u) || r.addr_len != want_len ||
	    memcmp(r.addr, want, want_len) || (want_len && r.ttl != DNS_ANSWER_TTL))
		die("dns client: answer %u rcode %u, %u records, %s/%u for %s", r.id, r.rcode,
		    r.n_answers, ip, r.ttl, z->text);
	ev_of_socket(&e, "dns", s->tcp ? "tcp" : "udp", s->fd, NULL, a->comm);
	e.dns_id = id;
	copy_str(e.qname, sizeof(e.qname), z->text);
	copy_str(e.qtype, sizeof(e.qtype), qtype == DNS_T_AAAA ? "AAAA" : "A");
	copy_str(e.rcode, sizeof(e.rcode), want_len ? "NOERROR" : "NXDOMAIN");
	if (want_len)
		snprintf(e.answers, sizeof(e.answers), "%s/%u", ip, r.ttl);
	/* a query over UDP went out while socktrace traced; over TCP it is not seen */
	e.latency = !s->tcp;
	report(&e);
}

void dns_ask_zone(const struct actor *a, struct dns_ask *s, uint16_t id, char *ip, size_t ip_len)
{
	char got[INET6_ADDRSTRLEN];

	ip[0] = '\0';
	for (int i = 0; i < a->count && i < DNS_ZONE_NAMES; i++) {
		dns_ask(a, s, i, DNS_T_A, id++, got, sizeof(got));
		if (i == 0 && a->family == AF_INET)
			copy_str(ip, ip_len, got);
		if (a->family != AF_INET6)
			continue;
		dns_ask(a, s, i, DNS_T_AAAA, id++, got, sizeof(got));
		if (i == 0)
			copy_str(ip, ip_len, got);
	}
}

void dns_connect_answer(const struct actor *a, const char *ip)
{
	struct sockaddr_storage to, from;
	socklen_t tl = make_addr(a->family, ip, a->port2, &to);
	socklen_t fl = make_addr(a->family, a->addr, 0, &from);
	int fd = socket(a->family, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&from, fl) ||
	    connect(fd, (struct sockaddr *)&to, tl))
		die("connect %s:%u", ip, a->port2);
	client_talk_named(a, fd, dns_zone[0].text);
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: a DNS client actor's questions (dns_ask.c), over UDP
 * (actors_dns.c) or TCP (actors_dns_tcp.c), and the server's side of a
 * message over TCP.
 */
#ifndef ST_LIVE_DNS_ASK_H
#define ST_LIVE_DNS_ASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "actor.h"

#define DNS_WAIT_S	10	/* a message's wait, at most (SO_RCVTIMEO) */

/* one DNS question (its answer read back) on the socket it went out on */
struct dns_ask {
	int fd;			/* connected, SO_RCVTIMEO set */
	bool tcp;		/* each message after its 2-byte length (RFC 1035, 4.2.2) */
	unsigned tx, rx;	/* TCP: the bytes sent and received so far, lengths included */
};

/*
 * dns_zone[i] of qtype asked on s with id: the answer checked against the
 * zone (dies if it differs), the dns event socktrace must show for it
 * reported; the answered address into ip ("" with none).
 */
void dns_ask(const struct actor *a, struct dns_ask *s, int i, uint16_t qtype, uint16_t id,
	     char *ip, size_t ip_len);

/*
 * The zone's first a->count names asked on s, each's A, and on an IPv6
 * client its AAAA after; ids count up from id. The answered name's address of
 * the client's family into ip.
 */
void dns_ask_zone(const struct actor *a, struct dns_ask *s, uint16_t id, char *ip, size_t ip_len);
/*
 * A TCP connect to ip, port a->port2, from the DNS server's address (a->addr)
 * so that the accepting end's events (their remote address is that one) are
 * not named: it and its close reported carrying the answered name.
 */
void dns_connect_answer(const struct actor *a, const char *ip);

/* TCP: the message msg (len bytes) after its length, in one write: the bytes written */
size_t dns_tcp_send(int fd, const uint8_t *msg, size_t len);
/* TCP: one message into msg (DNS_MSG_MAX bytes): its length, 0 at the end of the stream */
size_t dns_tcp_recv(int fd, uint8_t *msg);

#endif

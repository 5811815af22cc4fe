/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: DNS messages made and read by hand (RFC 1035, 4.1), for the DNS
 * actors (dns_zone.c, dns_ask.c): a query with one question, and its answer
 * with no record or one A or AAAA record whose owner is a compression pointer
 * to the question's name. Names are in wire form: labels, each after its
 * length byte, then the root's 0 byte.
 */
#ifndef ST_LIVE_DNS_MSG_H
#define ST_LIVE_DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#define DNS_MSG_MAX	512	/* a UDP message, without EDNS */
#define DNS_NAME_MAX	255	/* a wire name, its root byte included */
#define DNS_T_A		1
#define DNS_T_AAAA	28
#define DNS_RCODE_NOERROR	0
#define DNS_RCODE_NXDOMAIN	3

/* the question of a query as read back */
struct dns_question {
	uint16_t id;			/* host order */
	uint16_t flags;			/* host order */
	uint8_t name[DNS_NAME_MAX];	/* wire form */
	size_t name_len;		/* its bytes, the root's 0 included */
	uint16_t qtype;			/* host order */
	size_t end;			/* the offset just past the question */
};

/* an answer as read back: its first A or AAAA record, if any */
struct dns_reply {
	uint16_t id;		/* host order */
	unsigned rcode;
	unsigned n_answers;	/* records in the answer section */
	uint8_t addr[16];	/* the first A or AAAA record's address, network order */
	unsigned addr_len;	/* 4 (A), 16 (AAAA), 0: none */
	uint32_t ttl;		/* its TTL in seconds, host order */
};

/* a query for name (wire form, name_len bytes) of type qtype, recursion desired: its length */
size_t dns_make_query(uint8_t *msg, uint16_t id, const uint8_t *name, size_t name_len,
		      uint16_t qtype);
/* the question of the query msg (len bytes): 0, or -1 if it is not one we make */
int dns_read_question(const uint8_t *msg, size_t len, struct dns_question *q);
/*
 * The answer to the query msg whose question is q, into out (DNS_MSG_MAX
 * bytes): rcode, and when addr_len is not 0 one record of ttl seconds for the
 * question's name, an A (addr_len 4) or an AAAA (16) one of addr (network
 * order). Returns its length.
 */
size_t dns_make_answer(uint8_t *out, const uint8_t *msg, const struct dns_question *q,
		       unsigned rcode, const uint8_t *addr, unsigned addr_len, uint32_t ttl);
/* the answer msg (len bytes): 0, or -1 if it is not one dns_make_answer() makes */
int dns_read_answer(const uint8_t *msg, size_t len, struct dns_reply *r);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: what the DNS server actors answer (dns_zone.c). Its one answered
 * name has addresses of its own on the namespace's loopback, neither the
 * server's nor any client's: only a connect to one of them is named.
 */
#ifndef ST_LIVE_DNS_ZONE_H
#define ST_LIVE_DNS_ZONE_H

#include <stddef.h>
#include <stdint.h>

#define DNS_SERVER_ADDR	"127.0.0.1"	/* the server's address, port 53 */
#define DNS_SERVER_ADDR6 "::1"		/* the same over IPv6 */
#define DNS_ANSWERED	"st.test"	/* an A query for it: one record, */
#define DNS_ANSWER_ADDR	"127.0.0.2"	/* this address; */
#define DNS_ANSWER_ADDR6 "::2"		/* an AAAA query: this one (put on lo: net.c) */
#define DNS_ANSWER_TTL	300		/* for this many seconds */
#define DNS_ZONE_NAMES	3		/* the names a client can ask, the answered one first */

struct zone_name {
	/* labels after their length bytes; the string's own 0 is the root */
	const char *wire;
	/* socktrace's qname: lower-cased, '.' and '\' in a label as "\." and
	 * "\\", a byte outside 0x21-0x7e as "\DDD" (user/dns_parse.h) */
	const char *text;
};

extern const struct zone_name dns_zone[DNS_ZONE_NAMES];

/*
 * The zone's answer to a question of qtype (DNS_T_A or DNS_T_AAAA) for
 * dns_zone[i]: its address (addr_len 4 or 16 bytes, network order), or
 * addr_len 0 for NXDOMAIN.
 */
void dns_zone_lookup(int i, uint16_t qtype, uint8_t addr[16], unsigned *addr_len);

/* the answer to the query msg (len bytes) into out (DNS_MSG_MAX): its length; dies on no query */
size_t dns_zone_answer(const uint8_t *msg, size_t len, uint8_t *out);

#endif

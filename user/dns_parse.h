/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The DNS answer parser: pure (no I/O, no allocation), bounded, for bytes
 * written by strangers. From one DNS message it takes the question (qname,
 * qtype), the rcode, and the A/AAAA addresses of the name the process asked
 * for, following CNAME links from the qname (in any order in the answer
 * section, at most ST_DNS_CHAIN_MAX links). Name compression is followed with
 * every pointer bounds-checked and at most ST_DNS_HOPS_MAX pointers a name, so
 * a loop ends as an error; a name longer than 255 wire bytes is an error.
 *
 * Names come out lower-cased in the RFC 1035 presentation form, printable ASCII
 * only: a '.' or '\' inside a label as "\." and "\\", any byte outside
 * 0x21-0x7e as "\DDD" (decimal). They are passed through st_escape() again when
 * printed, like comm.
 *
 * A capture may cut a message (caplen < len): records wholly inside the
 * captured bytes are kept and `cut` is set; running out of bytes without a cut
 * is an error.
 */
#ifndef ST_DNS_PARSE_H
#define ST_DNS_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define ST_DNS_WIRE_MAX		255	/* a name on the wire, terminal zero included */
#define ST_DNS_NAME_MAX		(ST_DNS_WIRE_MAX * 4 + 1)	/* its presentation form */
#define ST_DNS_ADDR_MAX		16	/* addresses kept from one answer */
#define ST_DNS_RR_MAX		64	/* answer records read from one message */
#define ST_DNS_CHAIN_MAX	16	/* CNAME links followed */
#define ST_DNS_HOPS_MAX		32	/* compression pointers in one name */

#define ST_DNS_T_A	1
#define ST_DNS_T_CNAME	5
#define ST_DNS_T_AAAA	28

enum st_dns_result {
	ST_DNS_OK = 0,
	ST_DNS_BAD = -1,	/* not a DNS message: see why */
};

struct st_dns_addr {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network byte order; IPv4 in the first 4 bytes */
	uint32_t ttl;		/* seconds, host byte order */
};

struct st_dns_msg {
	uint16_t id;		/* host byte order */
	uint16_t qtype;		/* host byte order; 0 with no question */
	uint8_t rcode;
	uint8_t response;	/* the QR bit */
	uint8_t tc;		/* the TC bit: the server truncated it */
	uint8_t cut;		/* the capture cut it: the records after the cut are lost */
	char qname[ST_DNS_NAME_MAX];	/* "" with no question, "." for the root */
	unsigned chain;		/* CNAME links followed from qname */
	unsigned naddr;
	struct st_dns_addr addr[ST_DNS_ADDR_MAX];
	unsigned addr_over;	/* addresses of the name past ST_DNS_ADDR_MAX, not kept */
	unsigned rr_over;	/* answer records past ST_DNS_RR_MAX, not read */
};

/* p holds caplen bytes of a message of len bytes (caplen <= len) */
enum st_dns_result st_dns_parse(const unsigned char *p, size_t caplen, size_t len,
				struct st_dns_msg *m, const char **why);
/* "NOERROR", "NXDOMAIN", ... or "RCODE<n>"; buf holds at least 16 bytes */
const char *st_dns_rcode_name(unsigned rcode, char *buf, size_t len);
/* "A", "AAAA", ... or "TYPE<n>" (RFC 3597); buf holds at least 16 bytes */
const char *st_dns_qtype_name(unsigned qtype, char *buf, size_t len);

#endif

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: the DNS actors' zone (dns_zone.h). An A or AAAA query for the
 * answered name has one record; any other question is NXDOMAIN.
 */
#include <arpa/inet.h>
#include <string.h>
#include "dns_msg.h"
#include "dns_zone.h"
#include "util.h"

/*
 * The answered name first. The third is a stranger's name to escape: one
 * label with an upper-case letter, a '.', a '"', a '\' and the byte 0x01.
 */
const struct zone_name dns_zone[DNS_ZONE_NAMES] = {
	{ "\x02" "st" "\x04" "test", DNS_ANSWERED },
	{ "\x02" "nx" "\x04" "test", "nx.test" },
	{ "\x06" "A.b\"\\\x01" "\x04" "test", "a\\.b\"\\\\\\001.test" },
};

void dns_zone_lookup(int i, uint16_t qtype, uint8_t addr[16], unsigned *addr_len)
{
	*addr_len = 0;
	if (i == 0 && qtype == DNS_T_A && inet_pton(AF_INET, DNS_ANSWER_ADDR, addr) == 1)
		*addr_len = 4;
	else if (i == 0 && qtype == DNS_T_AAAA && inet_pton(AF_INET6, DNS_ANSWER_ADDR6, addr) == 1)
		*addr_len = 16;
}

/* the zone's name q asks for, -1 if none */
static int zone_index(const struct dns_question *q)
{
	for (int i = 0; i < DNS_ZONE_NAMES; i++)
		if (q->name_len == strlen(dns_zone[i].wire) + 1 &&
		    !memcmp(q->name, dns_zone[i].wire, q->name_len))
			return i;
	return -1;
}

size_t dns_zone_answer(const uint8_t *msg, size_t len, uint8_t *out)
{
	struct dns_question q;
	uint8_t addr[16];
	unsigned addr_len;

	if (dns_read_question(msg, len, &q))
		die("dns server: no query (%zu bytes)", len);
	dns_zone_lookup(zone_index(&q), q.qtype, addr, &addr_len);
	return dns_make_answer(out, msg, &q, addr_len ? DNS_RCODE_NOERROR : DNS_RCODE_NXDOMAIN,
			       addr, addr_len, DNS_ANSWER_TTL);
}

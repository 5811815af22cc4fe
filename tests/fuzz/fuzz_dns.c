// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: the DNS answer parser (user/dns_parse.c), on any bytes, whole
 * and as a capture cut at every length the first byte picks. The qname is
 * NUL-terminated printable ASCII inside its buffer; the counts stay within
 * their bounds, and every error says why. The input is copied to a buffer of exactly its size, so ASan sees
 * any read past it.
 */
#include <stdlib.h>
#include <string.h>
#include "dns_parse.h"

static void check(const struct st_dns_msg *m)
{
	size_t n = strnlen(m->qname, sizeof(m->qname));

	if (n == sizeof(m->qname))
		abort();
	for (size_t i = 0; i < n; i++)
		if (m->qname[i] < 0x21 || m->qname[i] > 0x7e)
			abort();
	if (m->naddr > ST_DNS_ADDR_MAX || m->chain > ST_DNS_CHAIN_MAX || m->rcode > 15)
		abort();
	for (unsigned i = 0; i < m->naddr; i++)
		if (m->addr[i].ttl > 0x7fffffff)
			abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct st_dns_msg whole, part;
	unsigned char *buf = malloc(size ? size : 1);
	const char *why;
	size_t cut;

	memcpy(buf, data, size);
	if (st_dns_parse(buf, size, size, &whole, &why) == ST_DNS_OK) {
		check(&whole);
		if (whole.cut)
			abort();
	} else if (!why) {
		abort();
	}
	cut = size ? (size_t)buf[0] % (size + 1) : 0;
	if (st_dns_parse(buf, cut, size, &part, &why) == ST_DNS_OK)
		check(&part);
	else if (!why)
		abort();
	free(buf);
	return 0;
}

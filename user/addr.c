// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "addr.h"

/* v's decimal digits at p, no leading zeros: where they end */
static char *put_decimal(char *p, unsigned v)
{
	char d[5];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < 5);
	while (n)
		*p++ = d[--n];
	return p;
}

/* a byte's decimal digits at p, no leading zeros: where they end */
static char *put_byte(char *p, unsigned b)
{
	if (b >= 100) {
		*p++ = (char)('0' + b / 100);
		b %= 100;
		*p++ = (char)('0' + b / 10);
	} else if (b >= 10) {
		*p++ = (char)('0' + b / 10);
	}
	*p++ = (char)('0' + b % 10);
	return p;
}

/*
 * glibc's inet_ntop() writes IPv4 with sprintf(): about 0.45 µs, twice per
 * streamed event, the largest part of the tracer's cost per event. The
 * dotted quad by hand is a few ns.
 */
static void format_v4(char *buf, size_t len, const __u8 *addr)
{
	char quad[16], *p = len >= sizeof(quad) ? buf : quad;	/* in place when it surely fits */
	char *start = p;

	for (int i = 0; i < 4; i++) {
		p = put_byte(p, addr[i]);
		*p++ = i < 3 ? '.' : '\0';
	}
	if (start == buf)
		return;
	if ((size_t)(p - quad) <= len)
		memcpy(buf, quad, (size_t)(p - quad));
	else
		snprintf(buf, len, "?");
}

void st_format_ip(char *buf, size_t len, int family, const __u8 *addr)
{
	if (family != 6)
		format_v4(buf, len, addr);
	else if (!inet_ntop(AF_INET6, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

void st_format_endpoint(char *buf, size_t len, int family, const __u8 *addr, __u16 port)
{
	char s[ST_ADDR_LEN + 8], *p = s;
	size_t n;

	if (family == 6)
		*p++ = '[';
	st_format_ip(p, ST_ADDR_LEN, family, addr);
	p += strlen(p);
	if (family == 6)
		*p++ = ']';
	*p++ = ':';
	p = put_decimal(p, port);
	*p = '\0';
	n = (size_t)(p - s);
	if (n < len)
		memcpy(buf, s, n + 1);
	else
		snprintf(buf, len, "%.*s", (int)(len ? len - 1 : 0), s);
}

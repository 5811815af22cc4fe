// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include "escape.h"
#include "event_kinds.h"
#include "parse.h"

#define PID_MAX_LIMIT 4194304ULL

const char *st_quote(const char *s, size_t len, char *buf, size_t buflen)
{
	size_t n = strnlen(s, len);

	st_escape(buf, buflen, s, n < 40 ? n : 40, ST_ESC_TEXT);
	if (n > 40 && strlen(buf) + 4 < buflen)
		strcat(buf, "...");
	return buf;
}

/* decimal digits of s[0..len), into *out; -1 if empty, not digits or > max */
static int digits(const char *s, size_t len, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (len == 0 || len > 20)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int number(const char *s, size_t len, unsigned long long min, unsigned long long max,
		  unsigned long long *out, const char *what, char *err, size_t errlen)
{
	unsigned long long v;
	char q[ST_QUOTE_LEN];
	size_t i;

	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (len == 0) {
		snprintf(err, errlen, "empty %s", what);
		return -1;
	}
	if (i != len) {
		snprintf(err, errlen, "invalid %s '%s': not a decimal number", what,
			 st_quote(s, len, q, sizeof(q)));
		return -1;
	}
	if (digits(s, len, ~0ULL, &v) || v < min || v > max) {
		snprintf(err, errlen, "invalid %s '%s': must be %llu-%llu", what,
			 st_quote(s, len, q, sizeof(q)), min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int st_parse_uint(const char *s, unsigned long long min, unsigned long long max,
		  unsigned long long *out, const char *what, char *err, size_t errlen)
{
	return number(s, strlen(s), min, max, out, what, err, errlen);
}

/*
 * Walk a comma-separated list; call item() on each element. Empty lists and
 * empty elements ("80,,443", "80,") are errors.
 */
static int each_item(const char *s, const char *what, char *err, size_t errlen,
		     int (*item)(const char *, size_t, void *, char *, size_t), void *arg)
{
	const char *p = s;
	char q[ST_QUOTE_LEN];

	if (!*s) {
		snprintf(err, errlen, "empty %s list", what);
		return -1;
	}
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == 0) {
			snprintf(err, errlen, "empty item in %s list '%s'", what,
				 st_quote(s, strlen(s), q, sizeof(q)));
			return -1;
		}
		if (item(p, len, arg, err, errlen))
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

struct list_ctx {
	void *out;
	int max;
	int n;
};

static int port_item(const char *p, size_t len, void *arg, char *err, size_t errlen)
{
	struct list_ctx *c = arg;
	struct st_port_range *r = c->out;
	const char *dash = memchr(p, '-', len);
	unsigned long long lo, hi;
	char q[ST_QUOTE_LEN];

	if (c->n >= c->max) {
		snprintf(err, errlen, "too many ports: at most %d entries", c->max);
		return -1;
	}
	if (dash) {
		if (number(p, (size_t)(dash - p), 1, 65535, &lo, "port", err, errlen) ||
		    number(dash + 1, len - (size_t)(dash - p) - 1, 1, 65535, &hi, "port", err,
			   errlen))
			return -1;
		if (lo > hi) {
			snprintf(err, errlen, "invalid port range '%s': %llu > %llu",
				 st_quote(p, len, q, sizeof(q)), lo, hi);
			return -1;
		}
	} else {
		if (number(p, len, 1, 65535, &lo, "port", err, errlen))
			return -1;
		hi = lo;
	}
	r[c->n].lo = (__u16)lo;
	r[c->n].hi = (__u16)hi;
	c->n++;
	return 0;
}

int st_parse_ports(const char *s, struct st_port_range *r, int max, int *n,
		   char *err, size_t errlen)
{
	struct list_ctx c = { r, max, 0 };

	if (each_item(s, "port", err, errlen, port_item, &c))
		return -1;
	*n = c.n;
	return 0;
}

static int pid_item(const char *p, size_t len, void *arg, char *err, size_t errlen)
{
	struct list_ctx *c = arg;
	__u32 *pids = c->out;
	unsigned long long v;

	if (c->n >= c->max) {
		snprintf(err, errlen, "too many pids: at most %d", c->max);
		return -1;
	}
	if (number(p, len, 1, PID_MAX_LIMIT, &v, "pid", err, errlen))
		return -1;
	pids[c->n++] = (__u32)v;
	return 0;
}

int st_parse_pids(const char *s, __u32 *pids, int max, int *n, char *err, size_t errlen)
{
	struct list_ctx c = { pids, max, 0 };

	if (each_item(s, "pid", err, errlen, pid_item, &c))
		return -1;
	*n = c.n;
	return 0;
}

static int event_item(const char *p, size_t len, void *arg, char *err, size_t errlen)
{
	unsigned int type = st_event_type(p, len);
	__u32 *mask = arg;
	char q[ST_QUOTE_LEN], names[128];

	if (type) {
		*mask |= ST_EV_BIT(type);
		return 0;
	}
	st_event_names(names, sizeof(names), ", ", " or ");
	snprintf(err, errlen, "unknown event '%s': expected %s", st_quote(p, len, q, sizeof(q)),
		 names);
	return -1;
}

int st_parse_events(const char *s, __u32 *mask, char *err, size_t errlen)
{
	__u32 m = 0;

	if (each_item(s, "event", err, errlen, event_item, &m))
		return -1;
	*mask = m;
	return 0;
}

int st_parse_size(const char *s, unsigned long long *out, char *err, size_t errlen)
{
	size_t len = strlen(s);
	unsigned long long mult = 1, v;

	if (len && (s[len - 1] == 'K' || s[len - 1] == 'k'))
		mult = 1024, len--;
	else if (len && (s[len - 1] == 'M' || s[len - 1] == 'm'))
		mult = 1024 * 1024, len--;
	if (number(s, len, 1, (1ULL << 40) / mult, &v, "size", err, errlen))
		return -1;
	*out = v * mult;
	return 0;
}

int st_parse_listen(const char *s, struct st_listen *out, char *err, size_t errlen)
{
	const char *colon = strrchr(s, ':');
	char host[64], q[ST_QUOTE_LEN];
	unsigned long long port;
	size_t hl;

	memset(out, 0, sizeof(*out));
	if (!colon) {
		snprintf(err, errlen, "invalid metrics address '%s': expected [ADDR]:PORT",
			 st_quote(s, strlen(s), q, sizeof(q)));
		return -1;
	}
	if (number(colon + 1, strlen(colon + 1), 1, 65535, &port, "metrics port", err, errlen))
		return -1;
	out->port = (__u16)port;
	hl = (size_t)(colon - s);
	if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']') {	/* [::1] */
		s++;
		hl -= 2;
		out->family = 6;
	}
	if (hl >= sizeof(host))
		goto bad;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (!hl && out->family != 6) {
		out->family = 0;		/* every address, IPv6 and IPv4 */
		return 0;
	}
	if (out->family != 6 && !strcmp(host, "localhost")) {
		out->family = 4;
		memcpy(out->addr, "\x7f\0\0\x01", 4);
		return 0;
	}
	if (out->family == 6 ? inet_pton(AF_INET6, host, out->addr) == 1 :
			       inet_pton(AF_INET, host, out->addr) == 1) {
		if (!out->family)
			out->family = 4;
		return 0;
	}
bad:
	snprintf(err, errlen, "invalid metrics address '%s': expected an IPv4 address, [IPv6], "
		 "localhost or nothing before :PORT", st_quote(s, hl, q, sizeof(q)));
	return -1;
}

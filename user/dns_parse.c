// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "dns_parse.h"

#define HDR_LEN		12
#define CLASS_IN	1

enum { RD_OK = 0, RD_BAD = -1, RD_END = -2 };	/* RD_END: past the captured bytes */

struct wire {
	uint8_t len;
	uint8_t b[ST_DNS_WIRE_MAX];	/* labels, lower-cased, terminal zero included */
};

struct rr {
	struct wire owner;
	uint16_t type;
	uint16_t class;
	uint32_t ttl;
	struct wire target;	/* CNAME */
	uint8_t addr[16];	/* A, AAAA */
};

struct reader {
	const unsigned char *p;
	size_t caplen;
	const char *why;
};

static int fail(struct reader *r, int code, const char *why)
{
	r->why = why;
	return code;
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* a name at *off into w; *off moves past it (past the first pointer, if any) */
static int read_name(struct reader *r, size_t *off, struct wire *w)
{
	size_t pos = *off;
	unsigned hops = 0;
	int jumped = 0;

	w->len = 0;
	for (;;) {
		unsigned c;

		if (pos >= r->caplen)
			return fail(r, RD_END, "name runs past the message");
		c = r->p[pos];
		if ((c & 0xc0) == 0xc0) {
			size_t ptr;

			if (pos + 1 >= r->caplen)
				return fail(r, RD_END, "name runs past the message");
			ptr = (c & 0x3f) << 8 | r->p[pos + 1];
			if (ptr >= pos)
				return fail(r, RD_BAD, "compression pointer does not point back");
			if (++hops > ST_DNS_HOPS_MAX)
				return fail(r, RD_BAD, "too many compression pointers");
			if (!jumped)
				*off = pos + 2;
			jumped = 1;
			pos = ptr;
			continue;
		}
		if (c & 0xc0)
			return fail(r, RD_BAD, "unknown label type");
		if ((size_t)w->len + 1 + c > ST_DNS_WIRE_MAX)
			return fail(r, RD_BAD, "name longer than 255 bytes");
		if (pos + 1 + c > r->caplen)
			return fail(r, RD_END, "label runs past the message");
		w->b[w->len++] = (uint8_t)c;
		for (unsigned i = 0; i < c; i++) {
			unsigned char ch = r->p[pos + 1 + i];

			w->b[w->len++] = (ch >= 'A' && ch <= 'Z') ? ch + ('a' - 'A') : ch;
		}
		pos += 1 + c;
		if (c == 0)
			break;
	}
	if (!jumped)
		*off = pos;
	return RD_OK;
}

static int same_name(const struct wire *a, const struct wire *b)
{
	return a->len == b->len && !memcmp(a->b, b->b, a->len);
}

/* the presentation form of w; out holds ST_DNS_NAME_MAX bytes */
static void name_text(const struct wire *w, char *out)
{
	size_t o = 0, i = 0;

	if (w->len <= 1) {
		strcpy(out, ".");
		return;
	}
	while (i < w->len && w->b[i]) {
		unsigned n = w->b[i++];

		if (o)
			out[o++] = '.';
		for (unsigned k = 0; k < n; k++, i++) {
			unsigned char ch = w->b[i];

			if (ch == '.' || ch == '\\') {
				out[o++] = '\\';
				out[o++] = (char)ch;
			} else if (ch > 0x20 && ch < 0x7f) {
				out[o++] = (char)ch;
			} else {
				o += (size_t)snprintf(out + o, 5, "\\%03u", ch);
			}
		}
	}
	out[o] = '\0';
}

/* one answer record at *off; RD_OK with the record, or the reader's code */
static int read_rr(struct reader *r, size_t *off, struct rr *rr)
{
	size_t rdlen, rd;
	int e = read_name(r, off, &rr->owner);

	if (e)
		return e;
	if (*off + 10 > r->caplen)
		return fail(r, RD_END, "record runs past the message");
	rr->type = get16(r->p + *off);
	rr->class = get16(r->p + *off + 2) & 0x7fff;	/* mDNS: the cache-flush bit */
	rr->ttl = (uint32_t)get16(r->p + *off + 4) << 16 | get16(r->p + *off + 6);
	if (rr->ttl > 0x7fffffff)	/* RFC 2181 8: such a TTL means zero */
		rr->ttl = 0;
	rdlen = get16(r->p + *off + 8);
	rd = *off + 10;
	if (rd + rdlen > r->caplen)
		return fail(r, RD_END, "record data runs past the message");
	*off = rd + rdlen;
	if (rr->class != CLASS_IN)
		return RD_OK;
	switch (rr->type) {
	case ST_DNS_T_A:
	case ST_DNS_T_AAAA:
		if (rdlen != (rr->type == ST_DNS_T_A ? 4u : 16u))
			return fail(r, RD_BAD, "address record of the wrong length");
		memcpy(rr->addr, r->p + rd, rdlen);
		break;
	case ST_DNS_T_CNAME: {
		size_t t = rd;
		struct reader sub = *r;

		/* the target stays inside the record's data, pointers may reach back */
		sub.caplen = rd + rdlen;
		e = read_name(&sub, &t, &rr->target);
		if (e || t != rd + rdlen)
			return fail(r, RD_BAD, e ? sub.why : "CNAME data longer than its name");
		break;
	}
	}
	return RD_OK;
}

/* the A/AAAA records of the name the chain from qname ends at */
static void follow(const struct wire *qname, const struct rr *rr, unsigned n, struct st_dns_msg *m)
{
	const struct wire *cur = qname;

	for (unsigned link = 0; link < ST_DNS_CHAIN_MAX; link++) {
		unsigned i;

		for (i = 0; i < n; i++)
			if (rr[i].type == ST_DNS_T_CNAME && rr[i].class == CLASS_IN &&
			    same_name(&rr[i].owner, cur))
				break;
		if (i == n)
			break;
		cur = &rr[i].target;
		m->chain++;
	}
	for (unsigned i = 0; i < n; i++) {
		struct st_dns_addr *a;

		if ((rr[i].type != ST_DNS_T_A && rr[i].type != ST_DNS_T_AAAA) ||
		    rr[i].class != CLASS_IN || !same_name(&rr[i].owner, cur))
			continue;
		if (m->naddr == ST_DNS_ADDR_MAX) {
			m->addr_over++;
			continue;
		}
		a = &m->addr[m->naddr++];
		memset(a, 0, sizeof(*a));
		a->family = rr[i].type == ST_DNS_T_A ? AF_INET : AF_INET6;
		memcpy(a->addr, rr[i].addr, a->family == AF_INET ? 4 : 16);
		a->ttl = rr[i].ttl;
	}
}

enum st_dns_result st_dns_parse(const unsigned char *p, size_t caplen, size_t len,
				struct st_dns_msg *m, const char **why)
{
	struct reader r = { .p = p, .caplen = caplen < len ? caplen : len };
	struct rr rr[ST_DNS_RR_MAX];
	struct wire qname = { 0 };
	unsigned qd, an, n = 0;
	size_t off = HDR_LEN;
	int e;

	memset(m, 0, sizeof(*m));
	*why = NULL;
	if (r.caplen < HDR_LEN) {
		*why = "shorter than a DNS header";
		return ST_DNS_BAD;
	}
	m->id = get16(p);
	m->response = p[2] >> 7;
	m->tc = (p[2] >> 1) & 1;
	m->rcode = p[3] & 0x0f;
	qd = get16(p + 4);
	an = get16(p + 6);
	if (qd > 1) {
		*why = "more than one question";
		return ST_DNS_BAD;
	}
	if (qd == 1) {
		e = read_name(&r, &off, &qname);
		if (!e && off + 4 > r.caplen)
			e = fail(&r, RD_END, "question runs past the message");
		if (e) {
			*why = r.why;
			return ST_DNS_BAD;
		}
		m->qtype = get16(p + off);
		off += 4;
		name_text(&qname, m->qname);
	}
	for (unsigned i = 0; i < an; i++) {
		struct rr one, *slot = n < ST_DNS_RR_MAX ? &rr[n] : &one;

		e = read_rr(&r, &off, slot);
		if (e == RD_END && caplen < len) {
			m->cut = 1;
			break;
		}
		if (e) {
			*why = r.why;
			return ST_DNS_BAD;
		}
		if (slot == &one)
			m->rr_over++;
		else
			n++;
	}
	if (qd == 1)
		follow(&qname, rr, n, m);
	return ST_DNS_OK;
}

static const char *numbered(const char *prefix, unsigned v, char *buf, size_t len)
{
	snprintf(buf, len, "%s%u", prefix, v);
	return buf;
}

const char *st_dns_rcode_name(unsigned rcode, char *buf, size_t len)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
		"YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE",
	};

	if (rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	return numbered("RCODE", rcode, buf, len);
}

const char *st_dns_qtype_name(unsigned qtype, char *buf, size_t len)
{
	static const struct { unsigned type; const char *name; } names[] = {
		{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 12, "PTR" },
		{ 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" }, { 33, "SRV" }, { 64, "SVCB" },
		{ 65, "HTTPS" }, { 255, "ANY" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == qtype)
			return names[i].name;
	return numbered("TYPE", qtype, buf, len);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "dns_msg.h"

#define HDR_LEN		12
#define CLASS_IN	1
#define F_QR		0x8000u	/* a response */
#define F_AA		0x0400u	/* authoritative */
#define F_RD		0x0100u	/* recursion desired */
#define F_RA		0x0080u	/* recursion available */
#define PTR_TO_QNAME	0xc00cu	/* a compression pointer to offset 12: the question's name */

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* the 12-byte header: id, flags, then the four section counts (host order) */
static void put_header(uint8_t *msg, unsigned id, unsigned flags, unsigned qd, unsigned an)
{
	put16(msg, id);
	put16(msg + 2, flags);
	put16(msg + 4, qd);
	put16(msg + 6, an);
	put16(msg + 8, 0);
	put16(msg + 10, 0);
}

/* the uncompressed name at *off: its length, *off past it; 0 if malformed */
static size_t skip_labels(const uint8_t *msg, size_t len, size_t *off)
{
	size_t start = *off;

	while (*off < len && msg[*off]) {
		if (msg[*off] & 0xc0)
			return 0;	/* a pointer, or a label type we do not make */
		*off += 1u + msg[*off];
	}
	if (*off >= len || *off + 1 - start > DNS_NAME_MAX)
		return 0;
	(*off)++;		/* the root */
	return *off - start;
}

size_t dns_make_query(uint8_t *msg, uint16_t id, const uint8_t *name, size_t name_len,
		      uint16_t qtype)
{
	put_header(msg, id, F_RD, 1, 0);
	memcpy(msg + HDR_LEN, name, name_len);
	put16(msg + HDR_LEN + name_len, qtype);
	put16(msg + HDR_LEN + name_len + 2, CLASS_IN);
	return HDR_LEN + name_len + 4;
}

int dns_read_question(const uint8_t *msg, size_t len, struct dns_question *q)
{
	size_t off = HDR_LEN;

	if (len < HDR_LEN || get16(msg + 2) & F_QR || get16(msg + 4) != 1 || get16(msg + 6) ||
	    get16(msg + 8) || get16(msg + 10))
		return -1;
	q->id = (uint16_t)get16(msg);
	q->flags = (uint16_t)get16(msg + 2);
	q->name_len = skip_labels(msg, len, &off);
	if (!q->name_len || off + 4 > len || get16(msg + off + 2) != CLASS_IN)
		return -1;
	memcpy(q->name, msg + HDR_LEN, q->name_len);
	q->qtype = (uint16_t)get16(msg + off);
	q->end = off + 4;
	return 0;
}

size_t dns_make_answer(uint8_t *out, const uint8_t *msg, const struct dns_question *q,
		       unsigned rcode, const uint8_t *addr, unsigned addr_len, uint32_t ttl)
{
	size_t n = q->end;

	put_header(out, q->id, F_QR | F_AA | (q->flags & F_RD) | F_RA | rcode, 1,
		   addr_len ? 1 : 0);
	memcpy(out + HDR_LEN, msg + HDR_LEN, q->end - HDR_LEN);	/* the question, as asked */
	if (!addr_len)
		return n;
	put16(out + n, PTR_TO_QNAME);
	put16(out + n + 2, addr_len == 16 ? DNS_T_AAAA : DNS_T_A);
	put16(out + n + 4, CLASS_IN);
	put32(out + n + 6, ttl);
	put16(out + n + 10, addr_len);	/* RDLENGTH */
	memcpy(out + n + 12, addr, addr_len);
	return n + 12 + addr_len;
}

int dns_read_answer(const uint8_t *msg, size_t len, struct dns_reply *r)
{
	size_t off = HDR_LEN;

	memset(r, 0, sizeof(*r));
	if (len < HDR_LEN || !(get16(msg + 2) & F_QR) || get16(msg + 4) != 1 ||
	    !skip_labels(msg, len, &off))
		return -1;
	r->id = (uint16_t)get16(msg);
	r->rcode = get16(msg + 2) & 0xf;
	r->n_answers = get16(msg + 6);
	off += 4;		/* QTYPE, QCLASS */
	for (unsigned i = 0; i < r->n_answers; i++) {
		unsigned type, rdlen;

		if (off + 2 <= len && (msg[off] & 0xc0) == 0xc0)
			off += 2;
		else if (!skip_labels(msg, len, &off))
			return -1;
		if (off + 10 > len)
			return -1;
		type = get16(msg + off);
		rdlen = get16(msg + off + 8);
		if (off + 10 + rdlen > len)
			return -1;
		if (i == 0 && ((type == DNS_T_A && rdlen == 4) ||
			       (type == DNS_T_AAAA && rdlen == 16))) {
			r->ttl = (uint32_t)get16(msg + off + 4) << 16 | get16(msg + off + 6);
			memcpy(r->addr, msg + off + 10, rdlen);
			r->addr_len = rdlen;
		}
		off += 10 + rdlen;
	}
	return off == len ? 0 : -1;
}

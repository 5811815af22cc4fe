// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: the DNS answer parser, on hand-built messages (and a CNAME chain into the cache). */
#include <sys/socket.h>
#include "dns_cache.h"
#include "dns_parse.h"
#include "unit.h"

struct pkt {
	unsigned char b[2048];
	size_t n;
};

static void put(struct pkt *p, const void *b, size_t n)
{
	memcpy(p->b + p->n, b, n);
	p->n += n;
}

static void put16(struct pkt *p, unsigned v)
{
	unsigned char b[2] = { v >> 8, v & 0xff };

	put(p, b, 2);
}

/* "www.example.com" as labels and a terminal zero */
static void put_name(struct pkt *p, const char *name)
{
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t n = dot ? (size_t)(dot - name) : strlen(name);

		p->b[p->n++] = (unsigned char)n;
		put(p, name, n);
		name += n + (dot != NULL);
	}
	p->b[p->n++] = 0;
}

static void header(struct pkt *p, unsigned rcode, unsigned qd, unsigned an)
{
	p->n = 0;
	put16(p, 0x1234);
	put16(p, 0x8180 | rcode);	/* QR, RD, RA */
	put16(p, qd);
	put16(p, an);
	put16(p, 0);
	put16(p, 0);
}

static void question(struct pkt *p, const char *name, unsigned qtype)
{
	put_name(p, name);
	put16(p, qtype);
	put16(p, 1);
}

/* a record whose owner is a pointer to offset 12 (the question's name) or a name */
static void record_head(struct pkt *p, const char *owner, unsigned type, unsigned ttl,
			unsigned rdlen)
{
	if (owner)
		put_name(p, owner);
	else
		put16(p, 0xc000 | 12);
	put16(p, type);
	put16(p, 1);
	put16(p, ttl >> 16);
	put16(p, ttl & 0xffff);
	put16(p, rdlen);
}

static void record_a(struct pkt *p, const char *owner, unsigned ttl, const char *ip4)
{
	record_head(p, owner, ST_DNS_T_A, ttl, 4);
	put(p, ip4, 4);
}

static int parse(const struct pkt *p, struct st_dns_msg *m, const char **why)
{
	return st_dns_parse(p->b, p->n, p->n, m, why);
}

static void test_dns_simple(void)
{
	static struct st_dns_msg m;
	struct pkt p;
	const char *why;
	char buf[16];

	header(&p, 0, 1, 2);
	question(&p, "WWW.Example.COM", ST_DNS_T_A);
	record_a(&p, NULL, 300, "\x0a\x00\x00\x01");
	record_a(&p, NULL, 60, "\x0a\x00\x00\x02");
	CHECK(parse(&p, &m, &why) == ST_DNS_OK, "simple: %s", why);
	CHECK_STR(m.qname, "www.example.com");
	CHECK(m.id == 0x1234 && m.response && m.rcode == 0 && m.qtype == 1 && !m.cut,
	      "simple: header %x %u %u %u", m.id, m.response, m.rcode, m.qtype);
	CHECK(m.naddr == 2 && m.addr[0].family == AF_INET && !memcmp(m.addr[0].addr, "\x0a\0\0\x01", 4) &&
	      m.addr[0].ttl == 300 && m.addr[1].ttl == 60 && m.addr[1].addr[3] == 2,
	      "simple: %u addresses", m.naddr);

	/* AAAA */
	header(&p, 0, 1, 1);
	question(&p, "v6.test", ST_DNS_T_AAAA);
	record_head(&p, NULL, ST_DNS_T_AAAA, 5, 16);
	put(&p, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x07", 16);
	CHECK(parse(&p, &m, &why) == ST_DNS_OK && m.naddr == 1 && m.addr[0].family == AF_INET6 &&
	      m.addr[0].addr[0] == 0x20 && m.addr[0].addr[15] == 7, "aaaa");
	CHECK_STR(st_dns_qtype_name(m.qtype, buf, sizeof(buf)), "AAAA");

	/* NXDOMAIN: no answers, the rcode named */
	header(&p, 3, 1, 0);
	question(&p, "nope.test", ST_DNS_T_A);
	CHECK(parse(&p, &m, &why) == ST_DNS_OK && m.rcode == 3 && m.naddr == 0, "nxdomain");
	CHECK_STR(st_dns_rcode_name(m.rcode, buf, sizeof(buf)), "NXDOMAIN");
	CHECK_STR(st_dns_rcode_name(2, buf, sizeof(buf)), "SERVFAIL");
	CHECK_STR(st_dns_rcode_name(13, buf, sizeof(buf)), "RCODE13");
	CHECK_STR(st_dns_qtype_name(999, buf, sizeof(buf)), "TYPE999");

	/* an address of another name (not in the chain) is not taken */
	header(&p, 0, 1, 1);
	question(&p, "a.test", ST_DNS_T_A);
	record_a(&p, "b.test", 9, "\x01\x02\x03\x04");
	CHECK(parse(&p, &m, &why) == ST_DNS_OK && m.naddr == 0, "unrelated address");
}

static void test_dns_cname(void)
{
	static struct st_dns_msg m;
	struct pkt p;
	const char *why;
	size_t target;

	/* www.example.com -> edge.cdn.net -> e1.cdn.net (via compression) -> A; out of order */
	header(&p, 0, 1, 4);
	question(&p, "www.example.com", ST_DNS_T_A);
	record_a(&p, "e1.cdn.net", 30, "\xc0\x00\x02\x07");
	target = p.n;
	record_head(&p, NULL, ST_DNS_T_CNAME, 100, 14);
	put_name(&p, "edge.cdn.net");	/* 4edge3cdn3net0 = 14 bytes */
	record_head(&p, "edge.cdn.net", ST_DNS_T_CNAME, 100, 5);
	p.b[p.n++] = 2;
	put(&p, "e1", 2);
	put16(&p, 0xc000 | (unsigned)(target + 12 + 5));	/* "cdn.net" inside the first target */
	record_a(&p, "other.net", 30, "\x01\x01\x01\x01");
	CHECK(parse(&p, &m, &why) == ST_DNS_OK, "cname: %s", why ? why : "");
	CHECK(m.chain == 2 && m.naddr == 1 && !memcmp(m.addr[0].addr, "\xc0\x00\x02\x07", 4),
	      "cname: chain %u, %u addresses", m.chain, m.naddr);
	CHECK_STR(m.qname, "www.example.com");
	/* the cache names the chain's address after the asked name, not a CNAME target */
	struct st_dns_cache *c = st_dns_cache_new(0);
	const __u8 edge[16] = { 192, 0, 2, 7 }, other[16] = { 1, 1, 1, 1 };
	const char *name;

	st_dns_cache_answer(c, 1, &m, 0);
	name = st_dns_cache_lookup(c, 1, 4, edge, 1);
	CHECK_STR(name ? name : "(none)", "www.example.com");
	CHECK(!st_dns_cache_lookup(c, 1, 4, other, 1), "not in chain");
	st_dns_cache_free(c);

	/* a CNAME loop a -> b -> a ends after ST_DNS_CHAIN_MAX links */
	header(&p, 0, 1, 2);
	question(&p, "a.t", ST_DNS_T_A);
	record_head(&p, NULL, ST_DNS_T_CNAME, 1, 5);
	put_name(&p, "b.t");
	record_head(&p, "b.t", ST_DNS_T_CNAME, 1, 5);
	put_name(&p, "a.t");
	CHECK(parse(&p, &m, &why) == ST_DNS_OK && m.chain == ST_DNS_CHAIN_MAX && m.naddr == 0,
	      "cname loop: chain %u", m.chain);

	/* CNAME data with bytes after its name */
	header(&p, 0, 1, 1);
	question(&p, "a.t", ST_DNS_T_A);
	record_head(&p, NULL, ST_DNS_T_CNAME, 1, 6);
	put_name(&p, "b.t");
	p.b[p.n++] = 0;
	CHECK(parse(&p, &m, &why) == ST_DNS_BAD, "cname with trailing bytes");
}

static void test_dns_hostile(void)
{
	static struct st_dns_msg m;
	struct pkt p;
	const char *why;
	size_t full;

	/* a pointer to itself, a forward pointer, two pointers to each other */
	header(&p, 0, 1, 0);
	put16(&p, 0xc000 | 12);
	put16(&p, 1);
	put16(&p, 1);
	CHECK(parse(&p, &m, &why) == ST_DNS_BAD, "pointer to itself");
	CHECK_STR(why, "compression pointer does not point back");
	header(&p, 0, 1, 0);
	put16(&p, 0xc000 | 40);
	CHECK(parse(&p, &m, &why) == ST_DNS_BAD, "forward pointer");
	header(&p, 0, 1, 1);
	question(&p, "x", ST_DNS_T_A);		/* 12: 1x0, type, class: 19 */
	p.b[p.n++] = 1;
	p.b[p.n++] = 'y';
	put16(&p, 0xc000 | 21);			/* 21: 1y then a pointer to 21 */
	CHECK(parse(&p, &m, &why) == ST_DNS_BAD, "pointer loop through a label");

	/* a chain of back pointers longer than ST_DNS_HOPS_MAX, kept in an unknown record's data */
	header(&p, 0, 1, 2);
	question(&p, "", ST_DNS_T_A);
	record_head(&p, "", 99, 1, 2 * (ST_DNS_HOPS_MAX + 1));
	put16(&p, 0xc000 | 12);
	for (int i = 0; i < ST_DNS_HOPS_MAX; i++)
		put16(&p, 0xc000 | (unsigned)(p.n - 2));
	put16(&p, 0xc000 | (unsigned)(p.n - 2));
	put16(&p, ST_DNS_T_A);
	CHECK(parse(&p, &m, &why) == ST_DNS_BAD, "too many hops");
	CHECK_STR(why, "too many compression pointers");

	/* an over-long name: 5 labels of 63 bytes */
	header(&p, 0, 1, 0);
	for (int i = 0; i < 5; i++) {
		p.b[p.n++] = 63;
		memset(p.b + p.n, 'a', 63);
		p.n += 63;
	}
	p.b[p.n++] = 0;
	put16(&p, 1);
	put16(&p, 1);
	CHECK(parse(&p, &m, &why) == ST_DNS_BAD, "over-long name");
	CHECK_STR(why, "name longer than 255 bytes");

	/* control bytes, a dot, a backslash and a high byte inside labels */
	header(&p, 0, 1, 0);
	put(&p, "\x06" "a\x01.\\\xff" "b" "\x01" "\x1b" "\x00", 10);
	put16(&p, 1);
	put16(&p, 1);
	CHECK(parse(&p, &m, &why) == ST_DNS_OK, "control bytes");
	CHECK_STR(m.qname, "a\\001\\.\\\\\\255b.\\027");

	/* extended label types, more than one question, a short header */
	header(&p, 0, 1, 0);
	p.b[p.n++] = 0x41;
	CHECK(parse(&p, &m, &why) == ST_DNS_BAD, "label type 01");
	header(&p, 0, 2, 0);
	CHECK(parse(&p, &m, &why) == ST_DNS_BAD, "two questions");
	CHECK(st_dns_parse(p.b, 11, 11, &m, &why) == ST_DNS_BAD, "11 bytes");

	/* an A record of 5 bytes is an error, not an address */
	header(&p, 0, 1, 1);
	question(&p, "a.t", ST_DNS_T_A);
	record_head(&p, NULL, ST_DNS_T_A, 1, 5);
	put(&p, "\1\2\3\4\5", 5);
	CHECK(parse(&p, &m, &why) == ST_DNS_BAD, "A of 5 bytes");

	/* truncated: without a cut an error at every length; cut, the whole records */
	header(&p, 0, 1, 2);
	question(&p, "a.t", ST_DNS_T_A);
	record_a(&p, NULL, 1, "\x0a\0\0\x01");
	record_a(&p, NULL, 1, "\x0a\0\0\x02");
	full = p.n;
	for (size_t n = 0; n < full; n++)
		CHECK(st_dns_parse(p.b, n, n, &m, &why) == ST_DNS_BAD, "truncated at %zu", n);
	CHECK(st_dns_parse(p.b, full - 1, full, &m, &why) == ST_DNS_OK && m.cut && m.naddr == 1,
	      "cut in the second record: %u addresses", m.naddr);
	CHECK(st_dns_parse(p.b, full, full, &m, &why) == ST_DNS_OK && !m.cut && m.naddr == 2,
	      "whole");

	/* more addresses than kept are counted; the root name is "." */
	header(&p, 0, 1, ST_DNS_ADDR_MAX + 3);
	question(&p, "", ST_DNS_T_A);
	for (int i = 0; i < ST_DNS_ADDR_MAX + 3; i++)
		record_a(&p, "", 1, "\x0a\0\0\x01");
	CHECK(parse(&p, &m, &why) == ST_DNS_OK && m.naddr == ST_DNS_ADDR_MAX && m.addr_over == 3,
	      "address overflow %u %u", m.naddr, m.addr_over);
	CHECK_STR(m.qname, ".");
}

void test_dns(void)
{
	test_dns_simple();
	test_dns_cname();
	test_dns_hostile();
}

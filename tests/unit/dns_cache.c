// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests: the address -> name cache, on parsed answers made by hand and a
 * fake clock (nanoseconds passed in). The CNAME chain, from wire bytes to the
 * cache, is in dns.c beside the message builders.
 */
#include <stdlib.h>
#include <sys/socket.h>
#include "dns_cache.h"
#include "dns_parse.h"
#include "unit.h"

#define S	1000000000ULL
#define NS_A	4026531840u	/* two network namespaces' inode numbers */
#define NS_B	4026532999u

static const __u8 ADDR1[16] = { 10, 1, 2, 3 };
static const __u8 ADDR2[16] = { 10, 1, 2, 4 };
static const __u8 ADDR6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };

/* an answer for qname: one address of family af (AF_INET, AF_INET6) with ttl */
static void answer(struct st_dns_msg *m, const char *qname, int af, const __u8 *addr,
		   unsigned ttl)
{
	memset(m, 0, sizeof(*m));
	m->response = 1;
	snprintf(m->qname, sizeof(m->qname), "%s", qname);
	m->naddr = 1;
	m->addr[0].family = (uint8_t)af;
	memcpy(m->addr[0].addr, addr, af == AF_INET ? 4 : 16);
	m->addr[0].ttl = ttl;
}

static struct st_event event(__u8 type, __u32 netns, const __u8 *raddr, __u64 ts)
{
	struct st_event e = { .type = type, .netns = netns, .family = 4, .rport = 443,
			      .ts_ns = ts, .proto = type == ST_EV_UDP ? 17 : 6 };

	memcpy(e.raddr, raddr, 4);
	return e;
}

static const char *name_or(const char *s)
{
	return s ? s : "(none)";
}

static void test_insert_lookup(void)
{
	static struct st_dns_msg m;
	struct st_dns_cache *c = st_dns_cache_new(0);
	struct st_dns_cache_stats st;

	answer(&m, "www.test", AF_INET, ADDR1, 30);
	st_dns_cache_answer(c, NS_A, &m, 100 * S);
	CHECK_STR(name_or(st_dns_cache_lookup(c, NS_A, 4, ADDR1, 101 * S)), "www.test");
	CHECK(!st_dns_cache_lookup(c, NS_A, 4, ADDR2, 101 * S), "another address");
	CHECK(!st_dns_cache_lookup(c, NS_A, 6, ADDR1, 101 * S), "another family");

	answer(&m, "v6.test", AF_INET6, ADDR6, 30);
	st_dns_cache_answer(c, NS_A, &m, 100 * S);
	CHECK_STR(name_or(st_dns_cache_lookup(c, NS_A, 6, ADDR6, 101 * S)), "v6.test");

	/* an error answer, or one whose query (so namespace) was not seen, changes nothing */
	answer(&m, "err.test", AF_INET, ADDR1, 30);
	m.rcode = 2;
	st_dns_cache_answer(c, NS_A, &m, 100 * S);
	answer(&m, "lost.test", AF_INET, ADDR1, 30);
	st_dns_cache_answer(c, 0, &m, 100 * S);
	CHECK_STR(name_or(st_dns_cache_lookup(c, NS_A, 4, ADDR1, 101 * S)), "www.test");
	st_dns_cache_stats(c, &st);
	CHECK(st.inserted == 2 && st.no_netns == 1 && st.evictions == 0,
	      "stats %llu %llu %llu", st.inserted, st.no_netns, st.evictions);
	st_dns_cache_free(c);
}

static void test_ttl(void)
{
	static struct st_dns_msg m;
	struct st_dns_cache *c = st_dns_cache_new(0);
	struct st_event e;

	answer(&m, "short.test", AF_INET, ADDR1, 5);
	st_dns_cache_answer(c, NS_A, &m, 100 * S);
	CHECK(st_dns_cache_lookup(c, NS_A, 4, ADDR1, 104 * S), "within its TTL");
	CHECK(!st_dns_cache_lookup(c, NS_A, 4, ADDR1, 105 * S), "past its TTL");

	/* TTL 0 is kept ST_NAMES_MIN_TTL seconds: the connect right after is named */
	answer(&m, "zero.test", AF_INET, ADDR1, 0);
	st_dns_cache_answer(c, NS_A, &m, 200 * S);
	CHECK(st_dns_cache_lookup(c, NS_A, 4, ADDR1, 200 * S + 1), "TTL 0, just after");
	CHECK(!st_dns_cache_lookup(c, NS_A, 4, ADDR1, (200 + ST_NAMES_MIN_TTL) * S), "TTL 0, later");

	/* a connect pins it past its TTL until that connection's close */
	answer(&m, "pinned.test", AF_INET, ADDR1, 5);
	st_dns_cache_answer(c, NS_A, &m, 300 * S);
	e = event(ST_EV_CONNECT, NS_A, ADDR1, 301 * S);
	CHECK_STR(name_or(st_dns_cache_event(c, &e, true)), "pinned.test");
	CHECK(st_dns_cache_lookup(c, NS_A, 4, ADDR1, 400 * S), "pinned past its TTL");
	e = event(ST_EV_CLOSE, NS_A, ADDR1, 500 * S);
	CHECK_STR(name_or(st_dns_cache_event(c, &e, true)), "pinned.test");
	CHECK(!st_dns_cache_lookup(c, NS_A, 4, ADDR1, 501 * S), "let go after its close");

	/* without closes to come, a connect pins nothing */
	answer(&m, "nopin.test", AF_INET, ADDR1, 5);
	st_dns_cache_answer(c, NS_A, &m, 600 * S);
	e = event(ST_EV_CONNECT, NS_A, ADDR1, 601 * S);
	CHECK(st_dns_cache_event(c, &e, false), "connect named");
	CHECK(!st_dns_cache_lookup(c, NS_A, 4, ADDR1, 606 * S), "not pinned");

	/* a UDP flow renews the TTL */
	answer(&m, "udp.test", AF_INET, ADDR1, 5);
	st_dns_cache_answer(c, NS_A, &m, 700 * S);
	e = event(ST_EV_UDP, NS_A, ADDR1, 704 * S);
	CHECK(st_dns_cache_event(c, &e, true), "udp named");
	CHECK(st_dns_cache_lookup(c, NS_A, 4, ADDR1, 708 * S), "renewed");
	CHECK(!st_dns_cache_lookup(c, NS_A, 4, ADDR1, 709 * S), "renewal over");
	st_dns_cache_free(c);
}

static void test_newer_wins(void)
{
	static struct st_dns_msg m;
	struct st_dns_cache *c = st_dns_cache_new(0);

	answer(&m, "old.test", AF_INET, ADDR1, 300);
	st_dns_cache_answer(c, NS_A, &m, 100 * S);
	answer(&m, "new.test", AF_INET, ADDR1, 1);
	st_dns_cache_answer(c, NS_A, &m, 110 * S);
	CHECK_STR(name_or(st_dns_cache_lookup(c, NS_A, 4, ADDR1, 111 * S)), "new.test");
	/* and with the newer TTL: the old one's does not keep it */
	CHECK(!st_dns_cache_lookup(c, NS_A, 4, ADDR1, 113 * S), "newer TTL");
	st_dns_cache_free(c);
}

static void test_netns(void)
{
	static struct st_dns_msg m;
	struct st_dns_cache *c = st_dns_cache_new(0);
	struct st_event e;

	answer(&m, "a.test", AF_INET, ADDR1, 30);
	st_dns_cache_answer(c, NS_A, &m, 100 * S);
	CHECK(!st_dns_cache_lookup(c, NS_B, 4, ADDR1, 101 * S), "other namespace");
	answer(&m, "b.test", AF_INET, ADDR1, 30);
	st_dns_cache_answer(c, NS_B, &m, 100 * S);
	e = event(ST_EV_CONNECT, NS_A, ADDR1, 101 * S);
	CHECK_STR(name_or(st_dns_cache_event(c, &e, true)), "a.test");
	e = event(ST_EV_CONNECT, NS_B, ADDR1, 101 * S);
	CHECK_STR(name_or(st_dns_cache_event(c, &e, true)), "b.test");
	e = event(ST_EV_LISTEN, NS_A, ADDR1, 101 * S);
	CHECK(!st_dns_cache_event(c, &e, true), "a listen has no peer");
	st_dns_cache_free(c);
}

static void test_eviction(void)
{
	static struct st_dns_msg m;
	struct st_dns_cache *c = st_dns_cache_new(4);
	struct st_dns_cache_stats st;
	struct st_event e;
	__u8 a[16] = { 10 };

	/* four names, TTLs 10..40; the one with TTL 10 is pinned */
	for (int i = 0; i < 4; i++) {
		a[3] = (__u8)i;
		answer(&m, "n.test", AF_INET, a, 10 * (unsigned)(i + 1));
		st_dns_cache_answer(c, NS_A, &m, 100 * S);
	}
	a[3] = 0;
	e = event(ST_EV_CONNECT, NS_A, a, 100 * S);
	st_dns_cache_event(c, &e, true);
	/* a fifth: the unpinned entry that expires first (a[3] == 1) makes room */
	a[3] = 9;
	answer(&m, "five.test", AF_INET, a, 30);
	st_dns_cache_answer(c, NS_A, &m, 101 * S);
	st_dns_cache_stats(c, &st);
	CHECK(st.evictions == 1, "evictions %llu", st.evictions);
	a[3] = 1;
	CHECK(!st_dns_cache_lookup(c, NS_A, 4, a, 101 * S), "the soonest unpinned went");
	a[3] = 0;
	CHECK(st_dns_cache_lookup(c, NS_A, 4, a, 101 * S), "the pinned one stayed");
	a[3] = 9;
	CHECK_STR(name_or(st_dns_cache_lookup(c, NS_A, 4, a, 101 * S)), "five.test");

	/* an expired entry making room is no eviction */
	a[3] = 10;
	answer(&m, "six.test", AF_INET, a, 30);
	st_dns_cache_answer(c, NS_A, &m, 1000 * S);
	st_dns_cache_stats(c, &st);
	CHECK(st.evictions == 1, "expired: evictions %llu", st.evictions);
	st_dns_cache_free(c);
}

void test_dns_cache(void)
{
	test_insert_lookup();
	test_ttl();
	test_newer_wins();
	test_netns();
	test_eviction();
}

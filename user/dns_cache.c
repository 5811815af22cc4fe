// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The address -> name cache: a fixed array of entries, chained from a
 * power-of-two bucket array by index, a free list through the same links.
 * Expired entries go when a lookup finds them or room is needed; no timer.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "dns_cache.h"
#include "fnv.h"
#include "dns_parse.h"

#define NONE	(-1)
#define NS_PER_S	1000000000ULL

struct key {
	__u32 netns;		/* network namespace inode number */
	__u8  family;		/* 4 or 6 */
	__u8  addr[16];		/* network byte order; IPv4 in the first 4, the rest zero */
};

struct entry {
	struct key k;
	char *name;		/* the asked name, presentation form (dns_parse.h); NULL: free */
	__u64 expires_ns;	/* CLOCK_MONOTONIC */
	__u64 ttl_ns;		/* the answer's, for a renewal */
	__u32 pins;		/* TCP connections open to it: kept past expires_ns */
	int next;		/* in its bucket's chain, or the free list */
};

struct st_dns_cache {
	struct entry *e;
	int *bucket;
	size_t cap, nbucket, used;
	int free;
	struct st_dns_cache_stats stats;
};

struct st_dns_cache *st_dns_cache_new(size_t cap)
{
	struct st_dns_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->cap = cap ? cap : ST_NAMES_MAX;
	for (c->nbucket = 16; c->nbucket < c->cap; c->nbucket *= 2)
		;
	c->e = calloc(c->cap, sizeof(*c->e));
	c->bucket = malloc(c->nbucket * sizeof(*c->bucket));
	if (!c->e || !c->bucket) {
		st_dns_cache_free(c);
		return NULL;
	}
	for (size_t i = 0; i < c->nbucket; i++)
		c->bucket[i] = NONE;
	for (size_t i = 0; i < c->cap; i++)
		c->e[i].next = i + 1 < c->cap ? (int)(i + 1) : NONE;
	c->free = 0;
	return c;
}

void st_dns_cache_free(struct st_dns_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; c->e && i < c->cap; i++)
		free(c->e[i].name);
	free(c->e);
	free(c->bucket);
	free(c);
}

static void make_key(struct key *k, __u32 netns, __u8 family, const __u8 addr[16])
{
	memset(k, 0, sizeof(*k));
	k->netns = netns;
	k->family = family;
	memcpy(k->addr, addr, family == 4 ? 4 : 16);
}

/* FNV-1a over the key's bytes (no padding: memset by make_key) */
static size_t hash(const struct st_dns_cache *c, const struct key *k)
{
	return st_fnv32(ST_FNV32_BASIS, k, sizeof(*k)) & (c->nbucket - 1);
}

static int find(const struct st_dns_cache *c, const struct key *k)
{
	for (int i = c->bucket[hash(c, k)]; i != NONE; i = c->e[i].next)
		if (!memcmp(&c->e[i].k, k, sizeof(*k)))
			return i;
	return NONE;
}

static void unlink_entry(struct st_dns_cache *c, int i)
{
	int *p = &c->bucket[hash(c, &c->e[i].k)];

	while (*p != i)
		p = &c->e[*p].next;
	*p = c->e[i].next;
	free(c->e[i].name);
	c->e[i].name = NULL;
	c->e[i].next = c->free;
	c->free = i;
	c->used--;
}

static bool expired(const struct entry *x, __u64 now_ns)
{
	return !x->pins && now_ns >= x->expires_ns;
}

/* room for one more: the entry that would go first (unpinned before pinned) */
static void make_room(struct st_dns_cache *c, __u64 now_ns)
{
	int victim = NONE;

	for (size_t i = 0; i < c->cap; i++) {
		const struct entry *x = &c->e[i], *v = victim == NONE ? NULL : &c->e[victim];

		if (!x->name)
			continue;
		if (!v || (!x->pins && v->pins) ||
		    (!x->pins == !v->pins && x->expires_ns < v->expires_ns))
			victim = (int)i;
	}
	if (victim == NONE)
		return;
	if (!expired(&c->e[victim], now_ns))
		c->stats.evictions++;
	unlink_entry(c, victim);
}

static void put(struct st_dns_cache *c, const struct key *k, const char *name, __u32 ttl,
		__u64 now_ns)
{
	__u64 ttl_ns = (__u64)(ttl < ST_NAMES_MIN_TTL ? ST_NAMES_MIN_TTL : ttl) * NS_PER_S;
	int i = find(c, k);
	char *copy = strdup(name);

	if (!copy)
		return;		/* out of memory: the old name, if any, stays */
	if (i == NONE) {
		if (c->free == NONE)
			make_room(c, now_ns);
		i = c->free;
		c->free = c->e[i].next;
		memcpy(&c->e[i].k, k, sizeof(*k));	/* padding too: find() memcmp()s it */
		c->e[i].pins = 0;
		c->e[i].next = c->bucket[hash(c, k)];
		c->bucket[hash(c, k)] = i;
		c->used++;
	}
	free(c->e[i].name);	/* the newer answer wins */
	c->e[i].name = copy;
	c->e[i].ttl_ns = ttl_ns;
	c->e[i].expires_ns = now_ns + ttl_ns;
	c->stats.inserted++;
}

void st_dns_cache_answer(struct st_dns_cache *c, __u32 netns, const struct st_dns_msg *m,
			 __u64 now_ns)
{
	struct key k;

	if (!c || !m->response || m->rcode || !m->qname[0])
		return;
	if (!netns) {
		c->stats.no_netns += m->naddr > 0;
		return;
	}
	for (unsigned i = 0; i < m->naddr && i < ST_DNS_ADDR_MAX; i++) {
		const struct st_dns_addr *a = &m->addr[i];

		if (a->family != AF_INET && a->family != AF_INET6)
			continue;
		make_key(&k, netns, a->family == AF_INET ? 4 : 6, a->addr);
		put(c, &k, m->qname, a->ttl, now_ns);
	}
}

/* the live entry of (netns, family, addr), or NONE; an expired one found goes */
static int live(struct st_dns_cache *c, __u32 netns, __u8 family, const __u8 addr[16],
		__u64 now_ns)
{
	struct key k;
	int i;

	if (!c || (family != 4 && family != 6))
		return NONE;
	make_key(&k, netns, family, addr);
	i = find(c, &k);
	if (i != NONE && expired(&c->e[i], now_ns)) {
		unlink_entry(c, i);
		return NONE;
	}
	return i;
}

const char *st_dns_cache_lookup(struct st_dns_cache *c, __u32 netns, __u8 family,
				const __u8 addr[16], __u64 now_ns)
{
	int i = live(c, netns, family, addr, now_ns);

	return i == NONE ? NULL : c->e[i].name;
}

const char *st_dns_cache_event(struct st_dns_cache *c, const struct st_event *e, bool closes)
{
	struct entry *x;
	int i;

	if (e->type == ST_EV_LISTEN || !e->rport)
		return NULL;	/* no peer */
	i = live(c, e->netns, e->family, e->raddr, e->ts_ns);
	if (i == NONE)
		return NULL;
	x = &c->e[i];
	if (e->type == ST_EV_CONNECT && closes)
		x->pins++;
	else if ((e->type == ST_EV_CLOSE || e->type == ST_EV_FAIL) && x->pins)
		x->pins--;
	else if (e->type == ST_EV_UDP && x->expires_ns < e->ts_ns + x->ttl_ns)
		x->expires_ns = e->ts_ns + x->ttl_ns;
	return x->name;
}

void st_dns_cache_stats(const struct st_dns_cache *c, struct st_dns_cache_stats *s)
{
	memset(s, 0, sizeof(*s));
	if (c)
		*s = c->stats;
}

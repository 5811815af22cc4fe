// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Two chained hashes over slabs that grow up to their limits: connections
 * by cookie, on a list from oldest to newest open (the oldest is evicted);
 * processes by pid, on a list from least to most recently active (one with
 * nothing open is evicted). Slots are indices, so a slab may move.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "conn_table.h"

#define NONE	UINT32_MAX
#define FIRST_SLOTS	256

/* first in each slot: its links */
struct links {
	__u32 hnext;		/* next in its bucket (or on the free list) */
	__u32 older, newer;	/* the age list, or the activity list */
};

struct cslot {
	struct links l;
	struct st_conn c;
};

struct pslot {
	struct links l;
	struct st_conn_proc p;
};

/* a slab of slots, with its hash, its list and its free list */
struct slab {
	void *slots;
	size_t size;		/* bytes of a slot */
	__u32 n, cap, max;	/* slots used (ever), allocated, at most */
	__u32 *buckets;		/* max rounded up to a power of two */
	__u32 mask;
	__u32 oldest, newest;
	__u32 free;		/* a freed slot's hnext links the next free one */
	__u32 live;
};

struct st_conn_table {
	struct slab conns, procs;
	struct st_conn_stats stats;
};

static struct links *links_of(const struct slab *s, __u32 i)
{
	return (struct links *)((char *)s->slots + (size_t)i * s->size);
}

static void *slot_of(const struct slab *s, __u32 i)
{
	return (char *)s->slots + (size_t)i * s->size;
}

static __u32 hash64(__u64 x, __u32 mask)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (__u32)x & mask;
}

static int slab_init(struct slab *s, size_t size, size_t max)
{
	__u32 nb = 1;

	while (nb < max)
		nb <<= 1;
	memset(s, 0, sizeof(*s));
	s->size = size;
	s->max = (__u32)max;
	s->mask = nb - 1;
	s->oldest = s->newest = s->free = NONE;
	s->buckets = malloc(nb * sizeof(*s->buckets));
	if (!s->buckets)
		return -1;
	memset(s->buckets, 0xff, nb * sizeof(*s->buckets));
	return 0;
}

/* a free slot, or NONE when the slab is at its limit (or out of memory) */
static __u32 slab_take(struct slab *s)
{
	__u32 i = s->free;

	if (i != NONE) {
		s->free = links_of(s, i)->hnext;
		return i;
	}
	if (s->n == s->max)
		return NONE;
	if (s->n == s->cap) {
		__u32 cap = s->cap ? 2 * s->cap : FIRST_SLOTS;
		void *bigger;

		if (cap > s->max)
			cap = s->max;
		bigger = realloc(s->slots, (size_t)cap * s->size);
		if (!bigger)
			return NONE;
		s->slots = bigger;
		s->cap = cap;
	}
	return s->n++;
}

/* link slot i (its key hashed to b) as the newest */
static void slab_link(struct slab *s, __u32 i, __u32 b)
{
	struct links *l = links_of(s, i);

	l->hnext = s->buckets[b];
	s->buckets[b] = i;
	l->newer = NONE;
	l->older = s->newest;
	if (s->newest != NONE)
		links_of(s, s->newest)->newer = i;
	else
		s->oldest = i;
	s->newest = i;
	s->live++;
}

static void list_cut(struct slab *s, __u32 i)
{
	struct links *l = links_of(s, i);

	if (l->older != NONE)
		links_of(s, l->older)->newer = l->newer;
	else
		s->oldest = l->newer;
	if (l->newer != NONE)
		links_of(s, l->newer)->older = l->older;
	else
		s->newest = l->older;
}

/* slot i, whose key hashed to b, out of its bucket and its list, freed */
static void slab_unlink(struct slab *s, __u32 i, __u32 b)
{
	__u32 *at = &s->buckets[b];

	while (*at != i)
		at = &links_of(s, *at)->hnext;
	*at = links_of(s, i)->hnext;
	list_cut(s, i);
	links_of(s, i)->hnext = s->free;
	s->free = i;
	s->live--;
}

/* slot i becomes the newest on its list */
static void slab_touch(struct slab *s, __u32 i)
{
	struct links *l = links_of(s, i);

	if (s->newest == i)
		return;
	list_cut(s, i);
	l->newer = NONE;
	l->older = s->newest;
	links_of(s, s->newest)->newer = i;
	s->newest = i;
}

struct st_conn_table *st_conn_table_new(size_t max_conns, size_t max_procs)
{
	struct st_conn_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (slab_init(&t->conns, sizeof(struct cslot), max_conns ? max_conns : ST_CONN_MAX) ||
	    slab_init(&t->procs, sizeof(struct pslot), max_procs ? max_procs : ST_CONN_PROCS)) {
		st_conn_table_free(t);
		return NULL;
	}
	return t;
}

void st_conn_table_free(struct st_conn_table *t)
{
	if (!t)
		return;
	free(t->conns.slots);
	free(t->conns.buckets);
	free(t->procs.slots);
	free(t->procs.buckets);
	free(t);
}

static __u32 find_conn(const struct st_conn_table *t, __u64 cookie)
{
	const struct slab *s = &t->conns;

	for (__u32 i = s->buckets[hash64(cookie, s->mask)]; i != NONE; i = links_of(s, i)->hnext)
		if (((struct cslot *)slot_of(s, i))->c.cookie == cookie)
			return i;
	return NONE;
}

static __u32 find_proc(const struct st_conn_table *t, __u32 pid)
{
	const struct slab *s = &t->procs;

	for (__u32 i = s->buckets[hash64(pid, s->mask)]; i != NONE; i = links_of(s, i)->hnext)
		if (((struct pslot *)slot_of(s, i))->p.pid == pid)
			return i;
	return NONE;
}

static struct st_conn_proc *proc_at(struct st_conn_table *t, __u32 i)
{
	return &((struct pslot *)slot_of(&t->procs, i))->p;
}

static bool holds_nothing(const struct st_conn_proc *p)
{
	return !p->open && !p->listeners;
}

/* the least recently active process that holds nothing makes room */
static __u32 evict_proc(struct st_conn_table *t)
{
	struct slab *s = &t->procs;

	for (__u32 i = s->oldest; i != NONE; i = links_of(s, i)->newer) {
		if (!holds_nothing(proc_at(t, i)))
			continue;
		slab_unlink(s, i, hash64(proc_at(t, i)->pid, s->mask));
		t->stats.procs_evicted++;
		return slab_take(s);
	}
	return NONE;
}

/* e's process, made the most recently active; created if new. NULL: no room. */
static struct st_conn_proc *proc_of(struct st_conn_table *t, const struct st_event *e)
{
	struct slab *s = &t->procs;
	__u32 i = find_proc(t, e->pid);
	struct st_conn_proc *p;

	if (i != NONE) {
		slab_touch(s, i);
		p = proc_at(t, i);
	} else {
		i = slab_take(s);
		if (i == NONE)
			i = evict_proc(t);
		if (i == NONE)
			return NULL;
		p = proc_at(t, i);
		memset(p, 0, sizeof(*p));
		p->pid = e->pid;
		slab_link(s, i, hash64(e->pid, s->mask));
	}
	memcpy(p->comm, e->comm, ST_COMM_LEN);
	return p;
}

/* connection i leaves: its process's counts go down */
static void drop_conn(struct st_conn_table *t, __u32 i)
{
	struct slab *s = &t->conns;
	const struct st_conn *c = &((struct cslot *)slot_of(s, i))->c;
	__u32 pi = find_proc(t, c->pid);

	if (pi != NONE) {
		struct st_conn_proc *p = proc_at(t, pi);

		if (c->type == ST_EV_LISTEN)
			p->listeners--;
		else
			p->open--;
		if (c->flags & ST_EVF_EXISTING) {
			if (c->type != ST_EV_LISTEN)
				p->existing--;
			if (c->state < ST_TCP_STATES)
				p->states[c->state]--;
		}
	}
	slab_unlink(s, i, hash64(c->cookie, s->mask));
}

static void add_conn(struct st_conn_table *t, const struct st_event *e)
{
	struct slab *s = &t->conns;
	struct st_conn_proc *p;
	struct st_conn *c;
	__u32 i = find_conn(t, e->cookie);

	if (i != NONE) {
		drop_conn(t, i);
		t->stats.replaced++;
	}
	p = proc_of(t, e);
	if (!p) {
		t->stats.untracked++;
		return;
	}
	i = slab_take(s);
	if (i == NONE && s->oldest != NONE) {
		drop_conn(t, s->oldest);
		t->stats.evicted++;
		i = slab_take(s);
	}
	if (i == NONE) {
		t->stats.untracked++;
		return;
	}
	c = &((struct cslot *)slot_of(s, i))->c;
	*c = (struct st_conn){
		.cookie = e->cookie, .opened_ns = e->ts_ns, .pid = e->pid, .type = e->type,
		.family = e->family, .flags = e->flags & (ST_EVF_EXISTING | ST_EVF_LOWER_BOUND),
		.lport = e->lport, .rport = e->rport,
	};
	memcpy(c->laddr, e->laddr, 16);
	memcpy(c->raddr, e->raddr, 16);
	if (e->type == ST_EV_LISTEN)
		p->listeners++;
	else
		p->open++;
	if (e->flags & ST_EVF_EXISTING) {
		c->state = e->state < ST_TCP_STATES ? e->state : 0;
		if (e->type != ST_EV_LISTEN)
			p->existing++;
		p->states[c->state]++;
	}
	slab_link(s, i, hash64(e->cookie, s->mask));
}

static void end_conn(struct st_conn_table *t, const struct st_event *e)
{
	__u32 i = find_conn(t, e->cookie);
	struct st_conn_proc *p;
	struct st_conn_end *x;

	if (i != NONE)
		drop_conn(t, i);
	else
		t->stats.unmatched++;
	p = proc_of(t, e);
	if (!p) {
		t->stats.ends_lost++;
		return;
	}
	x = &p->recent[p->ends++ % ST_CONN_RECENT];
	*x = (struct st_conn_end){
		.ts_ns = e->ts_ns, .duration_ns = e->duration_ns, .tx_bytes = e->tx_bytes,
		.rx_bytes = e->rx_bytes, .reason = e->reason, .type = e->type,
		.family = e->family, .flags = e->flags, .lport = e->lport, .rport = e->rport,
	};
	memcpy(x->laddr, e->laddr, 16);
	memcpy(x->raddr, e->raddr, 16);
}

void st_conn_table_event(struct st_conn_table *t, const struct st_event *e)
{
	if (!t || e->proto != IPPROTO_TCP)
		return;
	switch (e->type) {
	case ST_EV_CONNECT:
	case ST_EV_ACCEPT:
		add_conn(t, e);
		break;
	case ST_EV_LISTEN:
		/* a live listener's close is never streamed: it would stay forever */
		if (e->flags & ST_EVF_EXISTING)
			add_conn(t, e);
		break;
	case ST_EV_CLOSE:
	case ST_EV_FAIL:
		end_conn(t, e);
		break;
	}
}

const struct st_conn_proc *st_conn_proc(const struct st_conn_table *t, __u32 pid)
{
	__u32 i = t ? find_proc(t, pid) : NONE;

	return i == NONE ? NULL : &((struct pslot *)slot_of(&t->procs, i))->p;
}

size_t st_conn_list(const struct st_conn_table *t, __u32 pid, struct st_conn *out, size_t max)
{
	const struct slab *s = &t->conns;
	size_t n = 0;

	for (__u32 i = s->oldest; i != NONE; i = links_of(s, i)->newer) {
		const struct st_conn *c = &((struct cslot *)slot_of(s, i))->c;

		if (c->pid != pid)
			continue;
		if (n < max)
			out[n] = *c;
		n++;
	}
	return n;
}

const struct st_conn_end *st_conn_recent(const struct st_conn_proc *p, size_t i)
{
	if (i >= ST_CONN_RECENT || i >= p->ends)
		return NULL;
	return &p->recent[(p->ends - 1 - i) % ST_CONN_RECENT];
}

size_t st_conn_count(const struct st_conn_table *t)
{
	return t ? t->conns.live : 0;
}

const struct st_conn_stats *st_conn_table_stats(const struct st_conn_table *t)
{
	return &t->stats;
}

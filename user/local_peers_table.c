// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The local peers' connections by key: open addressing with linear probing
 * over a fixed array of conns, a free list, and the oldest giving way when
 * all are in use (counted where it was open).
 */
#include <stdlib.h>
#include <string.h>
#include "local_peers_int.h"

struct st_local_peers *st_local_peers_new(__u32 capacity)
{
	struct st_local_peers *t = calloc(1, sizeof(*t));
	size_t n_slots = 2;

	if (!t)
		return NULL;
	t->cap = capacity ? capacity : ST_LOCAL_PEERS_CAP;
	while (n_slots < 2 * (size_t)t->cap)
		n_slots <<= 1;
	t->mask = n_slots - 1;
	/* calloc: pages the table never reaches are never touched */
	t->conns = calloc(t->cap, sizeof(*t->conns));
	t->slots = calloc(n_slots, sizeof(*t->slots));
	t->nat = calloc(NAT_ALIASES, sizeof(*t->nat));
	if (!t->conns || !t->slots || !t->nat) {
		st_local_peers_free(t);
		return NULL;
	}
	return t;
}

void st_local_peers_free(struct st_local_peers *t)
{
	if (!t)
		return;
	free(t->conns);
	free(t->slots);
	free(t->nat);
	free(t);
}

__u32 st_local_peers_kept(const struct st_local_peers *t)
{
	return t ? t->kept : 0;
}

__u64 st_local_peers_evicted(const struct st_local_peers *t)
{
	return t ? t->evicted : 0;
}

/*
 * the key's six 64-bit words, each times an odd constant of its own, summed,
 * then mixed once (splitmix64's finalizer): the products do not wait on each
 * other, where a mix after each word made six dependent rounds
 */
static size_t hash_key(const struct conn_key *k)
{
	static const __u64 mul[6] = {
		0x9e3779b97f4a7c15ULL, 0xbf58476d1ce4e5b9ULL, 0x94d049bb133111ebULL,
		0xd6e8feb86659fd93ULL, 0xa0761d6478bd642fULL, 0xe7037ed1a0b428dbULL,
	};
	__u64 w[sizeof(*k) / 8], h = 0;

	_Static_assert(sizeof(*k) == sizeof(mul), "a constant a word of the key");

	memcpy(w, k, sizeof(w));
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		h += w[i] * mul[i];
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return (size_t)(h ^ (h >> 31));
}

/* the slot holding k, or the empty slot where it would go */
static size_t slot_find(const struct st_local_peers *t, const struct conn_key *k)
{
	size_t i = hash_key(k) & t->mask;

	while (t->slots[i] && memcmp(&t->conns[t->slots[i] - 1].k, k, sizeof(*k)))
		i = (i + 1) & t->mask;
	return i;
}

/* empty slot i, moving back later entries of its run that may not sit past a hole */
static void slot_clear(struct st_local_peers *t, size_t i)
{
	size_t j = i;

	for (;;) {
		j = (j + 1) & t->mask;
		if (!t->slots[j])
			break;
		size_t home = hash_key(&t->conns[t->slots[j] - 1].k) & t->mask;
		/* j's entry may move to i unless its home lies cyclically in (i, j] */
		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i] = 0;
}

void lp_conn_drop(struct st_local_peers *t, struct conn *c)
{
	__u32 idx = (__u32)(c - t->conns);

	slot_clear(t, slot_find(t, &c->k));
	c->next_free = t->free_head;
	t->free_head = idx + 1;
	t->kept--;
}

/* a conn for a new key: a free one, one never used, or the oldest (counted if it was open) */
static struct conn *conn_take(struct st_local_peers *t)
{
	struct conn *c;

	if (t->free_head) {
		c = &t->conns[t->free_head - 1];
		t->free_head = c->next_free;
		return c;
	}
	if (t->made < t->cap)
		return &t->conns[t->made++];
	c = &t->conns[t->hand];
	t->hand = (t->hand + 1) % t->cap;
	if (c->end[CLIENT].state == OPEN || c->end[SERVER].state == OPEN)
		t->evicted++;
	slot_clear(t, slot_find(t, &c->k));
	t->kept--;
	return c;
}

struct conn *lp_conn_find(const struct st_local_peers *t, const struct conn_key *k)
{
	size_t i = slot_find(t, k);

	return t->slots[i] ? &t->conns[t->slots[i] - 1] : NULL;
}

struct conn *lp_conn_add(struct st_local_peers *t, const struct conn_key *k)
{
	struct conn *c = conn_take(t);	/* first: taking may move slots */
	size_t i = slot_find(t, k);

	memset(c, 0, sizeof(*c));
	c->k = *k;
	t->slots[i] = (__u32)(c - t->conns) + 1;
	t->kept++;
	return c;
}


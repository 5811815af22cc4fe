// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "fnv.h"
#include "map_walk.h"
#include "peers.h"
#include "proc_peers.h"

/*
 * The endpoints in the order first seen, and an open-addressing hash table
 * (linear probing) of their indexes: one lookup per map entry, not a search.
 */
struct endpoints {
	struct st_peer_row *rows;
	size_t n, cap;
	__u32 *slots;		/* index + 1 into rows; 0: empty */
	size_t n_slots;		/* a power of two, at least twice n */
};

static bool same(const struct st_peer_key *a, const struct st_peer_key *b)
{
	return a->family == b->family && a->port == b->port && !memcmp(a->addr, b->addr, 16);
}

/* FNV-1a over what makes an endpoint (family, port, address; not pid) */
static size_t hash(const struct st_peer_key *k)
{
	/* the port low byte first, whatever the machine's byte order */
	const __u8 head[3] = { k->family, (__u8)(k->port & 0xff), (__u8)(k->port >> 8) };

	return st_fnv32(st_fnv32(ST_FNV32_BASIS, head, sizeof(head)), k->addr, sizeof(k->addr));
}

static __u32 *slot_of(const struct endpoints *e, const struct st_peer_key *k)
{
	size_t mask = e->n_slots - 1, i = hash(k) & mask;

	while (e->slots[i] && !same(&e->rows[e->slots[i] - 1].k, k))
		i = (i + 1) & mask;
	return &e->slots[i];
}

/* room for one more row, and a table at most half full */
static bool grow(struct endpoints *e)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 64;
		struct st_peer_row *bigger = realloc(e->rows, cap * sizeof(*e->rows));

		if (!bigger)
			return false;
		e->rows = bigger;
		e->cap = cap;
	}
	if (2 * (e->n + 1) > e->n_slots) {
		size_t n_slots = e->n_slots ? 2 * e->n_slots : 128;
		__u32 *slots = calloc(n_slots, sizeof(*slots));

		if (!slots)
			return false;
		free(e->slots);
		e->slots = slots;
		e->n_slots = n_slots;
		for (size_t i = 0; i < e->n; i++)
			*slot_of(e, &e->rows[i].k) = (__u32)i + 1;
	}
	return true;
}

static int add_peer(const void *key, const void *value, void *ctx)
{
	const struct st_peer_key *k = key;
	struct endpoints *e = ctx;
	__u64 count;
	__u32 *slot;

	memcpy(&count, value, sizeof(count));
	if (e->n_slots) {
		slot = slot_of(e, k);
		if (*slot) {
			e->rows[*slot - 1].count += count;
			e->rows[*slot - 1].processes++;
			return 0;
		}
	}
	if (!grow(e))
		return 1;	/* out of memory: the endpoints so far */
	slot = slot_of(e, k);
	e->rows[e->n].k = *k;
	e->rows[e->n].count = count;
	e->rows[e->n].processes = 1;
	*slot = (__u32)++e->n;
	return 0;
}

size_t st_peers_top(int peers_fd, struct st_peer_row *out, size_t max)
{
	struct endpoints e = {};
	size_t n = 0;

	/* sum the sockets to each remote endpoint over all processes */
	st_map_walk(peers_fd, sizeof(struct st_peer_key), sizeof(__u64), add_peer, &e);
	/* the max busiest, most sockets first */
	for (size_t j = 0; j < e.n; j++) {
		size_t i;

		for (i = n; i > 0 && out[i - 1].count < e.rows[j].count; i--)
			if (i < max)
				out[i] = out[i - 1];
		if (i < max) {
			out[i] = e.rows[j];
			if (n < max)
				n++;
		}
	}
	free(e.rows);
	free(e.slots);
	return n;
}

static int add_proc_peer(const void *key, const void *value, void *ctx)
{
	__u64 sockets;

	memcpy(&sockets, value, sizeof(sockets));
	return st_proc_peers_add(ctx, key, sockets) ? 1 : 0;	/* out of memory: those so far */
}

struct st_proc_peers *st_proc_peers_read(int peers_fd)
{
	struct st_proc_peers *p = st_proc_peers_new();

	if (p)
		st_map_walk(peers_fd, sizeof(struct st_peer_key), sizeof(__u64), add_proc_peer, p);
	return p;
}

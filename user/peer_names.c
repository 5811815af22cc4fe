// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include "fnv.h"
#include "peer_names.h"

/*
 * The (pid, address) pairs in the order first seen, never removed, and an
 * open-addressing index of them, linear probing, at most half full: both
 * allocated once, at their bound.
 */
struct key {
	__u32 pid;
	__u8 family;
	__u8 addr[16];		/* IPv4 in the first 4, the rest zero */
};

struct named {
	struct key k;
	char *name;
};

struct st_peer_names {
	struct named *n;	/* cap of them, used in use */
	__u32 *slots;		/* index + 1 into n; 0: empty */
	size_t cap, used, mask;	/* mask: the slots' count - 1, at least twice cap */
	unsigned long long unkept;
};

struct st_peer_names *st_peer_names_new(size_t cap)
{
	struct st_peer_names *t = calloc(1, sizeof(*t));
	size_t n_slots = 16;

	if (!t)
		return NULL;
	t->cap = cap ? cap : ST_PEER_NAMES_MAX;
	while (n_slots < 2 * t->cap)
		n_slots *= 2;
	t->mask = n_slots - 1;
	t->n = calloc(t->cap, sizeof(*t->n));
	t->slots = calloc(n_slots, sizeof(*t->slots));
	if (!t->n || !t->slots) {
		st_peer_names_free(t);
		return NULL;
	}
	return t;
}

void st_peer_names_free(struct st_peer_names *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->used; i++)
		free(t->n[i].name);
	free(t->n);
	free(t->slots);
	free(t);
}

unsigned long long st_peer_names_unkept(const struct st_peer_names *t)
{
	return t ? t->unkept : 0;
}

static void make_key(struct key *k, __u32 pid, __u8 family, const __u8 addr[16])
{
	memset(k, 0, sizeof(*k));	/* the padding too: keys are hashed and compared whole */
	k->pid = pid;
	k->family = family;
	memcpy(k->addr, addr, family == 4 ? 4 : 16);
}

/* the slot of k: its entry's, or the empty one where it would go */
static size_t slot_of(const struct st_peer_names *t, const struct key *k)
{
	size_t i = st_fnv32(ST_FNV32_BASIS, k, sizeof(*k)) & t->mask;

	while (t->slots[i] && memcmp(&t->n[t->slots[i] - 1].k, k, sizeof(*k)))
		i = (i + 1) & t->mask;
	return i;
}

void st_peer_names_note(struct st_peer_names *t, __u32 pid, __u8 family, const __u8 addr[16],
			const char *name)
{
	struct key k;
	__u32 *slot;
	char *copy;

	if (!t || !name || (family != 4 && family != 6))
		return;
	make_key(&k, pid, family, addr);
	slot = &t->slots[slot_of(t, &k)];
	if (*slot && !strcmp(t->n[*slot - 1].name, name))
		return;		/* the usual case: the same name again */
	if (!*slot && t->used == t->cap) {
		t->unkept++;
		return;
	}
	copy = strdup(name);
	if (!copy) {
		t->unkept++;
		return;
	}
	if (!*slot) {
		memcpy(&t->n[t->used].k, &k, sizeof(k));	/* with its zeroed padding */
		*slot = (__u32)++t->used;
	}
	free(t->n[*slot - 1].name);
	t->n[*slot - 1].name = copy;
}

const char *st_peer_names_get(const struct st_peer_names *t, __u32 pid, __u8 family,
			      const __u8 addr[16])
{
	struct key k;
	__u32 slot;

	if (!t || (family != 4 && family != 6))
		return NULL;
	make_key(&k, pid, family, addr);
	slot = t->slots[slot_of(t, &k)];
	return slot ? t->n[slot - 1].name : NULL;
}

const char *st_peer_names_any(const struct st_peer_names *t, __u8 family, const __u8 addr[16])
{
	const char *name = NULL;
	struct key k;

	if (!t || (family != 4 && family != 6))
		return NULL;
	make_key(&k, 0, family, addr);
	for (size_t i = 0; i < t->used; i++) {
		const struct named *x = &t->n[i];

		if (x->k.family != family || memcmp(x->k.addr, k.addr, sizeof(k.addr)))
			continue;
		if (name && strcmp(name, x->name))
			return NULL;	/* two names for one address: say none */
		name = x->name;
	}
	return name;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "escape.h"
#include "peer_counts.h"

/*
 * The pairs in the order first seen, never removed (the summary covers the
 * whole run, as the kernel's process table does), and an open-addressing
 * index of them by (pid, peer pid), linear probing, at most half full.
 */
struct pair {
	__u32 pid;
	struct st_peer_count c;
};

#define SLOTS	(2 * ST_PEER_COUNTS_MAX)	/* a power of two */

struct st_peer_counts {
	struct pair pairs[ST_PEER_COUNTS_MAX];
	size_t n;
	unsigned long long untracked;
	__u16 slots[SLOTS];	/* index + 1 into pairs; 0: empty */
};

struct st_peer_counts *st_peer_counts_new(void)
{
	return calloc(1, sizeof(struct st_peer_counts));
}

void st_peer_counts_free(struct st_peer_counts *t)
{
	free(t);
}

unsigned long long st_peer_counts_untracked(const struct st_peer_counts *t)
{
	return t ? t->untracked : 0;
}

static size_t pair_hash(__u32 pid, __u32 peer)
{
	__u64 h = ((__u64)pid << 32 | peer) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 40);
}

/* pid's count of peer: found, or made (NULL when there is no room) */
static struct st_peer_count *count_of(struct st_peer_counts *t, __u32 pid, __u32 peer)
{
	size_t i = pair_hash(pid, peer) & (SLOTS - 1);

	for (; t->slots[i]; i = (i + 1) & (SLOTS - 1)) {
		struct pair *p = &t->pairs[t->slots[i] - 1];

		if (p->pid == pid && p->c.peer.pid == peer)
			return &p->c;
	}
	if (t->n == ST_PEER_COUNTS_MAX)
		return NULL;
	t->pairs[t->n].pid = pid;
	t->pairs[t->n].c.peer.pid = peer;
	t->slots[i] = (__u16)++t->n;
	return &t->pairs[t->n - 1].c;
}

static void count_one(struct st_peer_counts *t, __u32 pid, __u32 peer, const char *peer_comm)
{
	struct st_peer_count *c = count_of(t, pid, peer);

	if (!c) {
		t->untracked++;
		return;
	}
	/* up to ST_COMM_LEN bytes, ending at a NUL if one comes first (an event's
	 * comm may have none; a caller's string may be shorter than the array) */
	memset(c->peer.comm, 0, ST_COMM_LEN);
	memcpy(c->peer.comm, peer_comm, strnlen(peer_comm, ST_COMM_LEN));
	c->connections++;
}

void st_peer_counts_pair(struct st_peer_counts *t, __u32 pid, const char *comm,
			 const struct st_local_peer *peer)
{
	if (!t)
		return;
	count_one(t, pid, peer->pid, peer->comm);
	count_one(t, peer->pid, pid, comm);
}

/* the busier first; of two as busy, the lower pid */
static bool before(const struct st_peer_count *a, const struct st_peer_count *b)
{
	return a->connections != b->connections ? a->connections > b->connections :
						  a->peer.pid < b->peer.pid;
}

size_t st_peer_counts_of(const struct st_peer_counts *t, __u32 pid, struct st_peer_count *out,
			 size_t max)
{
	size_t n = 0, kept = 0;

	/* a scan of the pairs made (a few thousand at most), the best max kept in order */
	for (size_t i = 0; t && i < t->n; i++) {
		const struct st_peer_count *c = &t->pairs[i].c;
		size_t at;

		if (t->pairs[i].pid != pid)
			continue;
		n++;
		for (at = kept; at > 0 && before(c, &out[at - 1]); at--)
			if (at < max)
				out[at] = out[at - 1];
		if (at < max) {
			out[at] = *c;
			kept += kept < max;
		}
	}
	return n;
}

void st_peer_counts_text(char *buf, size_t len, const struct st_peer_counts *t, __u32 pid,
			 size_t max)
{
	struct st_peer_count c[ST_PEER_TEXT_MAX];
	char comm[ST_ESC_MAX(ST_COMM_LEN)];
	size_t n, o = 0;

	max = max < ST_PEER_TEXT_MAX ? max : ST_PEER_TEXT_MAX;
	n = st_peer_counts_of(t, pid, c, max);
	snprintf(buf, len, "-");
	for (size_t i = 0; i < n && i < max && o < len; i++) {
		st_escape(comm, sizeof(comm), c[i].peer.comm, ST_COMM_LEN, ST_ESC_TEXT);
		o += (size_t)snprintf(buf + o, len - o, "%s%u/%s:%llu", i ? "," : "",
				      c[i].peer.pid, comm, (unsigned long long)c[i].connections);
	}
	if (n > max && o < len)
		snprintf(buf + o, len - o, ",+%zu", n - max);
}

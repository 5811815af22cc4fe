// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "proc_peers.h"

/* the rows as added; sorted (by pid, then most sockets first) at the first query */
struct st_proc_peers {
	struct st_peer_row *rows;
	size_t n, cap;
	bool sorted;
};

struct st_proc_peers *st_proc_peers_new(void)
{
	return calloc(1, sizeof(struct st_proc_peers));
}

void st_proc_peers_free(struct st_proc_peers *p)
{
	if (p)
		free(p->rows);
	free(p);
}

int st_proc_peers_add(struct st_proc_peers *p, const struct st_peer_key *k, __u64 sockets)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		struct st_peer_row *bigger = realloc(p->rows, cap * sizeof(*bigger));

		if (!bigger)
			return -1;
		p->rows = bigger;
		p->cap = cap;
	}
	p->rows[p->n].k = *k;
	p->rows[p->n].count = sockets;
	p->rows[p->n].processes = 1;
	p->n++;
	p->sorted = false;
	return 0;
}

/* by pid; of one pid, the most sockets first; of two as busy, by family, port and
 * address (a map walk's order is the kernel's: the same rows print the same way) */
static int by_pid_busiest(const void *a, const void *b)
{
	const struct st_peer_row *x = a, *y = b;

	if (x->k.pid != y->k.pid)
		return x->k.pid < y->k.pid ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->k.family != y->k.family)
		return x->k.family < y->k.family ? -1 : 1;
	if (x->k.port != y->k.port)
		return x->k.port < y->k.port ? -1 : 1;
	return memcmp(x->k.addr, y->k.addr, sizeof(x->k.addr));
}

size_t st_proc_peers_of(struct st_proc_peers *p, __u32 pid, struct st_peer_row *out,
			size_t max)
{
	size_t lo = 0, hi, n = 0;

	if (!p)
		return 0;
	if (!p->sorted) {
		if (p->n)	/* no rows: maybe no array to hand qsort() */
			qsort(p->rows, p->n, sizeof(*p->rows), by_pid_busiest);
		p->sorted = true;
	}
	/* the first row of pid: a binary search */
	for (hi = p->n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->rows[mid].k.pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < p->n && p->rows[lo].k.pid == pid; lo++, n++)
		if (n < max)
			out[n] = p->rows[lo];
	return n;
}

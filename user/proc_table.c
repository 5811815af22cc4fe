// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "map_walk.h"
#include "proc_table.h"

__u64 st_activity(const struct st_proc_stats *s)
{
	return s->connects + s->accepts + s->fails + s->udp_flows + s->udp_in_flows + s->closes;
}

static int by_activity(const void *a, const void *b)
{
	const struct st_row *x = a, *y = b;
	__u64 ax = st_activity(&x->s), ay = st_activity(&y->s);
	__u64 bx = x->s.tx_bytes + x->s.rx_bytes, by = y->s.tx_bytes + y->s.rx_bytes;

	if (ax != ay)
		return ax < ay ? 1 : -1;
	if (bx != by)
		return bx < by ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int by_pid(const void *a, const void *b)
{
	const struct st_row *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

struct reading {
	struct st_table *t;
	size_t cap;
	__u32 max;
	int err;
};

static int add_row(const void *key, const void *value, void *ctx)
{
	struct reading *rd = ctx;
	struct st_table *t = rd->t;
	struct st_row *r;

	if (t->n == rd->cap) {
		struct st_row *bigger = realloc(t->rows, 2 * rd->cap * sizeof(*t->rows));

		if (!bigger) {
			rd->err = -ENOMEM;
			return 1;
		}
		t->rows = bigger;
		rd->cap *= 2;
	}
	r = &t->rows[t->n++];
	memset(r, 0, sizeof(*r));
	memcpy(&r->pid, key, sizeof(r->pid));
	memcpy(&r->s, value, sizeof(r->s));
	return t->n >= rd->max;
}

static void add_port(struct st_row *r, __u16 port)
{
	int i, n = r->n_ports < ST_ROW_PORTS ? r->n_ports : ST_ROW_PORTS;

	for (i = 0; i < n; i++)
		if (r->ports[i] == port)
			return;
	r->n_ports++;
	if (n == ST_ROW_PORTS)
		return;
	for (i = n; i > 0 && r->ports[i - 1] > port; i--)
		r->ports[i] = r->ports[i - 1];
	r->ports[i] = port;
}

/* the rows are sorted by pid while the ports are added */
static int add_listen(const void *key, const void *value, void *ctx)
{
	const struct st_listen_key *lk = key;
	struct st_table *t = ctx;
	struct st_row want = { .pid = lk->pid }, *r;

	(void)value;
	r = t->n ? bsearch(&want, t->rows, t->n, sizeof(*t->rows), by_pid) : NULL;
	if (r)
		add_port(r, lk->port);
	return 0;
}

int st_table_read(int stats_fd, int listens_fd, __u32 max_procs, struct st_table *t)
{
	struct reading rd = { .t = t, .cap = 64, .max = max_procs };
	int err;

	memset(t, 0, sizeof(*t));
	t->rows = calloc(rd.cap, sizeof(*t->rows));
	if (!t->rows)
		return -ENOMEM;
	err = st_map_walk(stats_fd, sizeof(__u32), sizeof(struct st_proc_stats), add_row, &rd);
	if (err || rd.err) {
		st_table_free(t);
		return err ? err : rd.err;
	}
	t->full = t->n >= max_procs;
	qsort(t->rows, t->n, sizeof(*t->rows), by_pid);
	st_map_walk(listens_fd, sizeof(struct st_listen_key), sizeof(__u64), add_listen, t);
	qsort(t->rows, t->n, sizeof(*t->rows), by_activity);
	return 0;
}

void st_table_free(struct st_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}

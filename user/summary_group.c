// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include "cgroup_names.h"
#include "escape.h"
#include "human.h"
#include "json.h"
#include "summary.h"
#include "summary_group.h"

struct group {
	char *key;		/* "": none */
	size_t len;
	unsigned processes;
	struct st_proc_stats s;
};

/* the key of a process's row: its name, or what its cgroup's path names (into g->key, of
 * ST_CG_PATH_MAX + 1 bytes) */
static void key_of(const struct st_row *r, enum st_by by, struct st_cgroups *c, struct group *g)
{
	const struct st_cg_name *n = NULL;
	const char *k = "";

	if (by == ST_BY_COMM) {
		g->len = strnlen(r->s.comm, ST_COMM_LEN);
		memcpy(g->key, r->s.comm, g->len);
		g->key[g->len] = '\0';
		return;
	}
	if (c && r->s.cgroup)
		n = st_cgroups_lookup(c, r->s.cgroup);
	if (n)
		k = by == ST_BY_UNIT ? n->ident.unit : by == ST_BY_CONTAINER ? n->ident.container :
		    n->path;
	g->len = strlen(k);
	memcpy(g->key, k, g->len + 1);
}

static void add(struct st_proc_stats *a, const struct st_proc_stats *b)
{
	a->connects += b->connects;
	a->accepts += b->accepts;
	a->fails += b->fails;
	a->closes += b->closes;
	a->udp_flows += b->udp_flows;
	a->peers += b->peers;
	a->tx_bytes += b->tx_bytes;
	a->rx_bytes += b->rx_bytes;
	a->udp_packets += b->udp_packets;
	a->udp_in_flows += b->udp_in_flows;
	a->udp_rx_packets += b->udp_rx_packets;
	a->udp_rx_bytes += b->udp_rx_bytes;
	a->udp_rx_unmatched += b->udp_rx_unmatched;
}

/* the groups, in the order of their most active process (t is sorted so) */
static size_t group(const struct st_table *t, enum st_by by, struct st_cgroups *c,
		    struct group *g)
{
	static char buf[ST_CG_PATH_MAX + 1];
	struct group k = { .key = buf };
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		size_t j;

		key_of(&t->rows[i], by, c, &k);
		for (j = 0; j < n; j++)
			if (g[j].len == k.len && !memcmp(g[j].key, k.key, k.len))
				break;
		if (j == n) {
			g[n].key = strdup(k.key);
			if (!g[n].key)
				break;
			g[n].len = k.len;
			g[n].processes = 0;
			memset(&g[n].s, 0, sizeof(g[n].s));
			n++;
		}
		g[j].processes++;
		add(&g[j].s, &t->rows[i].s);
	}
	return n;
}

void st_print_summary_by(FILE *f, const struct st_table *t, enum st_by by, struct st_cgroups *c,
			 bool json, long long epoch_ns)
{
	struct group *g = calloc(t->n ? t->n : 1, sizeof(*g));
	char key[ST_ESC_MAX(ST_CG_PATH_MAX)], tx[16], rx[16];
	size_t n;

	if (!g) {
		fprintf(stderr, "socktrace: out of memory for the summary\n");
		return;
	}
	n = group(t, by, c, g);
	if (!json)
		fprintf(f, "%5s %8s %7s %5s %5s %5s %7s %7s %s\n", "PROCS", "CONNECTS", "ACCEPTS",
			"FAILS", "UDP", "PEERS", "TX", "RX",
			by == ST_BY_COMM ? "COMM" : by == ST_BY_UNIT ? "UNIT" :
			by == ST_BY_CONTAINER ? "CONTAINER" : "CGROUP");
	for (size_t i = 0; i < n; i++) {
		const struct st_proc_stats *s = &g[i].s;

		if (json) {
			struct st_json j;

			st_json_begin(&j, f);
			st_json_u64(&j, "ts", (unsigned long long)epoch_ns);
			st_json_str(&j, "event", "summary", 7);
			st_json_str(&j, "by", st_by_name(by), strlen(st_by_name(by)));
			if (g[i].len)
				st_json_str(&j, st_by_name(by), g[i].key, g[i].len);
			else
				st_json_null(&j, st_by_name(by));
			st_json_u64(&j, "processes", g[i].processes);
			st_summary_counters_json(&j, s);
			st_json_end(&j);
			continue;
		}
		st_escape(key, sizeof(key), g[i].key, g[i].len, ST_ESC_TEXT);
		st_human(tx, sizeof(tx), s->tx_bytes);
		st_human(rx, sizeof(rx), s->rx_bytes);
		fprintf(f, "%5u %8llu %7llu %5llu %5llu %5llu %7s %7s %s\n", g[i].processes,
			(unsigned long long)s->connects, (unsigned long long)s->accepts,
			(unsigned long long)s->fails,
			(unsigned long long)(s->udp_flows + s->udp_in_flows),
			(unsigned long long)s->peers, tx, rx, g[i].len ? key : "-");
	}
	if (t->full && !json)
		fprintf(f, "(the process table is full: the least recently active were evicted)\n");
	for (size_t i = 0; i < n; i++)
		free(g[i].key);
	free(g);
}

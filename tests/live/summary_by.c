// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: --summary --by container. The actors' per-process rows (what
 * summary.c works out from the events they made) are summed per container,
 * the ctr= of each actor's who, and each container's row must say exactly
 * that, once. Rows of other containers, and the row of the processes in no
 * container ("container":null), are not the scenario's.
 */
#include <stdio.h>
#include <string.h>
#include "../jsonl.h"
#include "summary_rows.h"
#include "util.h"

#define CTR_LEN	64

struct group {
	char ctr[CTR_LEN + 1];
	unsigned long long processes, connects, accepts, fails, closes, udp_flows, udp_packets;
	unsigned long long udp_in_flows, udp_rx_packets, udp_rx_bytes, peers, tx, rx;
	int seen;
};

/* the container id in who ("... ctr=ID ..."), or "" */
static void ctr_of(const char *who, char *ctr)
{
	const char *p = who ? strstr(who, "ctr=") : NULL;
	size_t n = 0;

	if (p)
		for (p += 4; p[n] && p[n] != ' ' && n < CTR_LEN; n++)
			;
	memcpy(ctr, p ? p : "", n);
	ctr[n] = '\0';
}

static struct group *group_of(struct group *g, int *n, const char *ctr)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(g[i].ctr, ctr))
			return &g[i];
	memset(&g[*n], 0, sizeof(g[*n]));
	copy_str(g[*n].ctr, sizeof(g[*n].ctr), ctr);
	return &g[(*n)++];
}

static void add(struct group *g, const struct want_row *r)
{
	g->processes++;
	g->connects += r->connects;
	g->accepts += r->accepts;
	g->fails += r->fails;
	g->closes += r->closes;
	g->udp_flows += r->udp_flows;
	g->udp_packets += r->udp_packets;
	g->udp_in_flows += r->udp_in_flows;
	g->udp_rx_packets += r->udp_rx_packets;
	g->udp_rx_bytes += r->udp_rx_bytes;
	g->peers += r->peers;
	g->tx += r->tx;
	g->rx += r->rx;
}

static int check_row(const struct group *g, const struct jl_object *o, const char *buf, char *why,
		     size_t len)
{
	const struct {
		const char *key;
		unsigned long long want;
	} f[] = {
		{ "processes", g->processes }, { "connects", g->connects },
		{ "accepts", g->accepts }, { "fails", g->fails }, { "closes", g->closes },
		{ "udp_flows", g->udp_flows }, { "udp_packets", g->udp_packets },
		{ "udp_in_flows", g->udp_in_flows }, { "udp_rx_packets", g->udp_rx_packets },
		{ "udp_rx_bytes", g->udp_rx_bytes }, { "udp_rx_unmatched", 0 },
		{ "peers", g->peers }, { "tx_bytes", g->tx }, { "rx_bytes", g->rx },
	};

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		const struct jl_member *m = jl_get(o, f[k].key);

		if (!m || !m->is_uint || m->u != f[k].want) {
			snprintf(why, len, "container %.12s: %s is %llu, expected %llu: %.300s", g->ctr,
				 f[k].key, m ? m->u : 0, f[k].want, buf);
			return -1;
		}
	}
	return 0;
}

int check_by_container(const struct scenario *sc, const struct actor_run *run, const char *text,
		       const struct want_row *w, int n, char *why, size_t len)
{
	struct group g[MAX_ACTORS];
	int ng = 0;

	for (int a = 0; a < scenario_n_actors(sc); a++) {
		char ctr[CTR_LEN + 1];

		ctr_of(sc->actors[a].who, ctr);
		for (int i = 0; ctr[0] && i < n; i++)
			if (w[i].pid == (unsigned)run[a].pid)
				add(group_of(g, &ng, ctr), &w[i]);
	}
	for (const char *line = text; *line;) {
		char buf[2048], err[160];
		const struct jl_member *by, *ctr, *ev;
		struct jl_object o;

		line = next_line(line, buf, sizeof(buf));
		if (jl_parse(buf, &o, err, sizeof(err))) {
			snprintf(why, len, "summary line is not JSON (%s): %.200s", err, buf);
			return -1;
		}
		ev = jl_get(&o, "event");
		if (ev && ev->type == JL_STR && !strcmp(ev->str, "existing"))
			continue;	/* what existed at start */
		by = jl_get(&o, "by");
		ctr = jl_get(&o, "container");
		if (!ev || ev->type != JL_STR || strcmp(ev->str, "summary") || !by ||
		    by->type != JL_STR || strcmp(by->str, "container") || !ctr) {
			snprintf(why, len, "not a --by container row: %.200s", buf);
			return -1;
		}
		if (ctr->type != JL_STR)
			continue;	/* the processes in no container */
		for (int i = 0; i < ng; i++) {
			if (strcmp(g[i].ctr, ctr->str))
				continue;
			g[i].seen++;
			if (check_row(&g[i], &o, buf, why, len))
				return -1;
		}
	}
	for (int i = 0; i < ng; i++) {
		if (g[i].seen != 1) {
			snprintf(why, len, "container %.12s has %d rows, expected 1", g[i].ctr, g[i].seen);
			return -1;
		}
	}
	if (!ng) {
		snprintf(why, len, "no actor of the scenario is in a container");
		return -1;
	}
	return 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "cgroup_names.h"
#include "cli.h"
#include "exporter.h"
#include "http_server.h"
#include "loop.h"
#include "map_walk.h"
#include "metrics.h"
#include "metrics_procs.h"
#include "metrics_text.h"
#include "socktrace.skel.h"

struct st_exporter {
	struct st_run *r;
	struct st_metrics m;
	struct st_mprocs procs;		/* UDP datagrams, from the kernel's process table */
	struct st_http_server *srv;
};

/* the kernel's per-process counters into the series: on every page, and
 * every second, so that an evicted process loses at most its last second */
struct read_ctx {
	struct st_exporter *x;
};

static int read_one(const void *key, const void *value, void *ctx)
{
	struct read_ctx *c = ctx;

	st_mprocs_seen(&c->x->procs, &c->x->m, *(const __u32 *)key, value);
	return 0;
}

static void read_procs(struct st_exporter *x)
{
	struct bpf_map *stats = x->r->skel->maps.proc_stats;
	struct read_ctx c = { .x = x };

	/* a read cut short keeps every pid for the next one */
	if (st_map_walk(bpf_map__fd(stats), sizeof(__u32), sizeof(struct st_proc_stats),
			read_one, &c) == 0)
		st_mprocs_end(&x->procs);
}

static int tick(void *ctx)
{
	read_procs(ctx);
	return 0;
}

static void page(void *ctx, struct st_mbuf *b)
{
	struct st_exporter *x = ctx;
	const struct st_http_stats *hs = st_http_server_stats(x->srv);
	struct st_mself self = {
		.version = SOCKTRACE_VERSION,
		.backend = st_backend_name(x->r->backend),
		.dropped = __atomic_load_n(&x->r->skel->bss->dropped, __ATOMIC_RELAXED),
	};

	read_procs(x);
	self.procs_evicted = x->procs.evicted;
	self.hooks_skipped = st_backend_missed(x->r->skel, NULL, 0);
	self.procs_unread = st_mprocs_unread(&x->procs, __atomic_load_n(&x->r->skel->bss->procs_created,
									__ATOMIC_RELAXED));
	st_metrics_text(b, &x->m, &self);
	st_mbuf_printf(b, "# HELP socktrace_metrics_http_refused_total Clients closed at once: "
		       "%d were open.\n# TYPE socktrace_metrics_http_refused_total counter\n"
		       "socktrace_metrics_http_refused_total %llu\n", ST_HTTP_CLIENTS, hs->refused);
	st_mbuf_printf(b, "# HELP socktrace_metrics_http_timeouts_total Clients closed after "
		       "%d ms without a whole request and answer.\n"
		       "# TYPE socktrace_metrics_http_timeouts_total counter\n"
		       "socktrace_metrics_http_timeouts_total %llu\n", ST_HTTP_TIME_MS, hs->timeouts);
	st_mbuf_printf(b, "# HELP socktrace_metrics_http_bad_requests_total Requests answered "
		       "400 or 431.\n# TYPE socktrace_metrics_http_bad_requests_total counter\n"
		       "socktrace_metrics_http_bad_requests_total %llu\n", hs->bad);
}

int st_exporter_start(struct st_run *r)
{
	struct st_exporter *x = calloc(1, sizeof(*x));
	char why[256];

	if (!x || st_metrics_init(&x->m, r->o->metrics_max_series, r->o->metrics_labels) ||
	    st_mprocs_init(&x->procs, bpf_map__max_entries(r->skel->maps.proc_stats))) {
		fprintf(stderr, "socktrace: metrics: out of memory\n");
		if (x) {
			st_metrics_free(&x->m);
			st_mprocs_free(&x->procs);
		}
		free(x);
		return -1;
	}
	x->r = r;
	x->srv = st_http_server_start(r->loop, &r->o->metrics_addr, page, x, why, sizeof(why));
	if (!x->srv) {
		fprintf(stderr, "socktrace: %s\n", why);
		st_metrics_free(&x->m);
		st_mprocs_free(&x->procs);
		free(x);
		return -1;
	}
	if (st_loop_add_timer(r->loop, 1000000000LL, 1000000000LL, tick, x)) {
		fprintf(stderr, "socktrace: metrics: cannot add a timer\n");
		st_http_server_stop(x->srv);
		st_metrics_free(&x->m);
		st_mprocs_free(&x->procs);
		free(x);
		return -1;
	}
	r->exporter = x;
	return 0;
}

bool st_exporter_wants_cgroups(const struct st_run *r)
{
	return r->exporter && (r->o->metrics_labels & ST_ML_CGROUP);
}

void st_exporter_event(struct st_run *r, const struct st_event *e, const struct st_cg_name *cg)
{
	if (r->exporter)
		st_metrics_event(&r->exporter->m, e, cg ? &cg->ident : NULL);
}

void st_exporter_stop(struct st_run *r)
{
	struct st_exporter *x = r->exporter;

	if (!x)
		return;
	st_http_server_stop(x->srv);
	st_metrics_free(&x->m);
	st_mprocs_free(&x->procs);
	free(x);
	r->exporter = NULL;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "cgroup_names.h"
#include "exporter.h"
#include "format.h"
#include "loop.h"
#include "peers.h"
#include "pipeline.h"
#include "proc_table.h"
#include "socktrace.skel.h"
#include "summary.h"
#include "summary_group.h"
#include "top.h"

#define TOP_PEERS	5	/* busiest peers under --top's table */

void st_pipeline_start(struct st_run *r)
{
	static char outbuf[1 << 16];

	/* the stream: fully buffered, flushed after each batch of events */
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (!r->o->json && !r->o->no_header && r->o->stream)
		st_print_header(stdout);
	fflush(stdout);
	r->epoch_off_ns = st_now_ns(CLOCK_REALTIME) - st_now_ns(CLOCK_MONOTONIC);
}

void st_pipeline_event(struct st_run *r, const struct st_event *e)
{
	struct st_enriched x = {};

	st_exporter_event(r, e);
	if (!r->o->stream)
		return;		/* --metrics alone, or with --summary */
	/* the enrichers: the cgroup's name (cgroup_names.c) */
	if (r->cgroups)
		x.cg = st_cgroups_lookup(r->cgroups, e->cgroup);
	if (r->o->json)
		st_print_json(stdout, e, r->epoch_off_ns, &x);
	else
		st_print_text(stdout, e, r->epoch_off_ns, &x);
}

/* the per-process table from the kernel's counters: for --summary and --top */
static int read_table(struct st_run *r, struct st_table *t)
{
	struct socktrace_bpf *skel = r->skel;

	return st_table_read(bpf_map__fd(skel->maps.proc_stats), bpf_map__fd(skel->maps.listens),
			     bpf_map__max_entries(skel->maps.proc_stats), t);
}

void st_pipeline_summary(struct st_run *r)
{
	struct st_table t;
	int err = read_table(r, &t);

	if (err) {
		fprintf(stderr, "socktrace: can't read the process counters: %s\n", strerror(-err));
		return;
	}
	if (r->o->by == ST_BY_PID)
		st_print_summary(stdout, &t, r->o->json, st_now_ns(CLOCK_REALTIME));
	else
		st_print_summary_by(stdout, &t, (enum st_by)r->o->by, r->cgroups, r->o->json,
				    st_now_ns(CLOCK_REALTIME));
	if (!r->o->json)
		fputc('\n', stdout);
	fflush(stdout);
	st_table_free(&t);
}

void st_pipeline_top(struct st_run *r)
{
	struct st_peer_row peers[TOP_PEERS];
	struct st_table t;
	size_t n;

	if (!r->top || read_table(r, &t))
		return;
	n = st_peers_top(bpf_map__fd(r->skel->maps.peers), peers, TOP_PEERS);
	st_top_draw(r->top, &t, peers, n, st_backend_name(r->backend),
		    __atomic_load_n(&r->skel->bss->dropped, __ATOMIC_RELAXED));
	st_table_free(&t);
}

void st_pipeline_finish(struct st_run *r)
{
	st_top_end(r->top);
	r->top = NULL;
	if (r->o->summary)
		st_pipeline_summary(r);
}

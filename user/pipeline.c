// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "exporter.h"
#include "format.h"
#include "format_dns.h"
#include "loop.h"
#include "peers.h"
#include "pipeline.h"
#include "proc_table.h"
#include "socktrace.skel.h"
#include "summary.h"
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
	/* enrichers go here */
	st_exporter_event(r, e);
	if (!r->o->stream)
		return;		/* --metrics alone, or with --summary */
	if (r->o->json)
		st_print_json(stdout, e, r->epoch_off_ns);
	else
		st_print_text(stdout, e, r->epoch_off_ns);
}

/* the answer's asker passes -p, -U and -c (an asker not seen passes none of them) */
static bool dns_wanted(const struct st_opts *o, const struct st_dns_event *e)
{
	bool pid_ok = o->n_pids == 0;

	for (int i = 0; i < o->n_pids; i++)
		pid_ok = pid_ok || o->pids[i] == e->q.pid;
	if (!pid_ok || (o->uid >= 0 && (!e->q.pid || e->q.uid != (__u32)o->uid)))
		return false;
	return !o->comm[0] || (e->q.pid && !strncmp(o->comm, e->q.comm, ST_COMM_LEN));
}

void st_pipeline_dns(struct st_run *r, const struct st_dns_event *e, const struct st_dns_msg *m)
{
	if (!r->o->stream || !(r->o->event_mask & ST_EV_BIT(ST_EV_DNS)) || !dns_wanted(r->o, e))
		return;
	if (r->o->json)
		st_print_dns_json(stdout, e, m, r->epoch_off_ns);
	else
		st_print_dns_text(stdout, e, m, r->epoch_off_ns);
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
	st_print_summary(stdout, &t, r->o->json, st_now_ns(CLOCK_REALTIME));
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

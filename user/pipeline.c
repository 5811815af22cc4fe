// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "busiest_peers.h"
#include "conn_table.h"
#include "cgroup_names.h"
#include "dns_cache.h"
#include "exporter.h"
#include "format.h"
#include "format_dns.h"
#include "local_peers.h"
#include "loop.h"
#include "peer_counts.h"
#include "peer_names.h"
#include "peers.h"
#include "pipeline.h"
#include "proc_peers.h"
#include "proc_table.h"
#include "socktrace.skel.h"
#include "snapshot_report.h"
#include "summary.h"
#include "udp_flows_summary.h"
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

int st_pipeline_conns_open(struct st_run *r)
{
	if (!r->o->conns)
		return 0;
	r->conns = st_conn_table_new(0, 0);
	if (!r->conns) {
		fprintf(stderr, "socktrace: can't make the open-connections table: out of memory\n");
		return -1;
	}
	return 0;
}

int st_pipeline_local_peers_open(struct st_run *r)
{
	bool counted = r->o->summary || r->o->top;	/* who talks to whom, per process */

	if (!r->o->stream && !counted)
		return 0;	/* --metrics alone shows no peers */
	r->local_peers = st_local_peers_new(0);
	if (counted)
		r->peer_counts = st_peer_counts_new();
	if (!r->local_peers || (counted && !r->peer_counts)) {
		fprintf(stderr, "socktrace: can't make the local peers table: out of memory\n");
		return -1;
	}
	return 0;
}

int st_pipeline_names_open(struct st_run *r)
{
	if (!r->o->names)
		return 0;
	r->names = st_dns_cache_new(0);
	if (r->o->summary || r->o->top)	/* the busiest peers' names */
		r->peer_names = st_peer_names_new(0);
	if (!r->names || ((r->o->summary || r->o->top) && !r->peer_names)) {
		fprintf(stderr, "socktrace: can't make the address->name cache: out of memory\n");
		return -1;
	}
	return 0;
}

static int on_output_gone(void *ctx)
{
	(void)ctx;
	return ST_LOOP_STOP;
}

int st_pipeline_watch_output(struct st_run *r)
{
	int err;

	if (!r->o->stream && !r->o->summary && !r->o->top)
		return 0;	/* --metrics alone: stdout is not the output */
	err = st_loop_add_hangup(r->loop, STDOUT_FILENO, on_output_gone, r);
	if (err == -EPERM || err == -EBADF)
		return 0;	/* a file, /dev/null, or no stdout: nothing can close it */
	if (err)
		fprintf(stderr, "socktrace: can't watch the output: %s\n", strerror(-err));
	return err;
}

void st_pipeline_event(struct st_run *r, const struct st_event *e)
{
	struct st_enriched x = {};
	struct st_local_peer peer;

	st_conn_table_event(r->conns, e);
	/* every open and close, whatever -e shows: each end pairs with the other */
	switch (st_local_peers_event(r->local_peers, e, &peer)) {
	case ST_PEER_PAIRED:
		st_peer_counts_pair(r->peer_counts, e->pid, e->comm, &peer);
		/* fall through */
	case ST_PEER_KNOWN:
		x.peer = &peer;
		break;
	case ST_PEER_UNKNOWN:
		break;
	}
	/*
	 * the remote address's name (dns_cache.c), before -e selects: a connect
	 * pins its name only when its close will come here to let it go
	 */
	x.rname = st_dns_cache_event(r->names, e, r->conns ||
				     (r->o->event_mask & ST_EV_BIT(ST_EV_CLOSE)));
	if (x.rname)
		st_peer_names_note(r->peer_names, e->pid, e->family, e->raddr, x.rname);
	/* the ring buffer also carries the kinds the table wants: -e selects */
	if (!(r->o->event_mask & ST_EV_BIT(e->type)))
		return;
	/* the enrichers: the cgroup's name (cgroup_names.c), for the stream and --metrics-labels */
	if (r->cgroups && (r->o->stream || st_exporter_wants_cgroups(r)))
		x.cg = st_cgroups_lookup(r->cgroups, e->cgroup);
	st_exporter_event(r, e, x.cg);
	if (!r->o->stream)
		return;		/* --metrics alone, or --summary, or --top */
	x.existing = r->existing;	/* set by the snapshot while it streams its events */
	if (r->o->json)
		st_print_json(stdout, e, r->epoch_off_ns, &x);
	else
		st_print_text(stdout, e, r->epoch_off_ns, &x);
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
	/* every answer names, whoever asked: -p, -U and -c select what is shown */
	st_dns_cache_answer(r->names, e->q.netns, m, e->ts_ns);
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
	if (r->o->by == ST_BY_PID) {
		struct st_peer_view pv = {
			.local = r->peer_counts,
			.remote = st_proc_peers_read(bpf_map__fd(r->skel->maps.peers)),
			.names = r->peer_names,
		};

		st_print_summary(stdout, &t, r->conns, &pv, r->o->json,
				 st_now_ns(CLOCK_REALTIME),
				 __atomic_load_n(&r->skel->bss->dropped, __ATOMIC_RELAXED));
		st_proc_peers_free(pv.remote);
		/* each flow's datagrams and bytes */
		st_print_udp_flows(stdout, bpf_map__fd(r->skel->maps.udp_flows),
				   r->o->udp_idle_s * 1000000000ULL, r->o->json,
				   st_now_ns(CLOCK_REALTIME));
	} else
		st_print_summary_by(stdout, &t, (enum st_by)r->o->by, r->cgroups, r->o->json,
				    st_now_ns(CLOCK_REALTIME));
	st_print_snapshot_summary(stdout, &r->snap, r->o->json, st_now_ns(CLOCK_REALTIME));
	if (!r->o->json)
		fputc('\n', stdout);
	fflush(stdout);
	st_table_free(&t);
}

int st_pipeline_top(struct st_run *r, bool tick)
{
	struct st_peer_row peers[TOP_PEERS];
	struct st_table t;
	int err;

	if (!r->top)
		return 0;
	if (tick && st_top_ui(r->top)->paused)
		return 0;	/* the screen stays as it was */
	if (read_table(r, &t))
		return 0;
	struct st_top_frame f = {
		.t = &t,
		.conns = r->conns,
		.pv = {
			.local = r->peer_counts,
			.remote = st_proc_peers_read(bpf_map__fd(r->skel->maps.peers)),
			.names = r->peer_names,
		},
		.peers = peers,
		.n_peers = st_peers_top(bpf_map__fd(r->skel->maps.peers), peers, TOP_PEERS),
		.backend = st_backend_name(r->backend),
		.dropped = __atomic_load_n(&r->skel->bss->dropped, __ATOMIC_RELAXED),
		.now_ns = st_now_ns(CLOCK_MONOTONIC),
	};
	err = st_top_draw(r->top, &f, tick);
	st_proc_peers_free(f.pv.remote);
	st_table_free(&t);
	if (err && errno != EPIPE)
		fprintf(stderr, "socktrace: --top can't write to the terminal: %s\n",
			strerror(errno));
	return err;
}

/* keys, read as they come (the loop saw stdin readable): never more than a buffer */
int st_pipeline_top_keys(struct st_run *r)
{
	char buf[64];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		st_loop_del_fd(r->loop, STDIN_FILENO);	/* no more keys: the view goes on */
		return 0;
	}
	if (n < 0 || !r->top)
		return 0;
	switch (st_top_keys(st_top_ui(r->top), buf, (size_t)n)) {
	case ST_TOP_QUIT:
		return ST_LOOP_STOP;
	case ST_TOP_REDRAW:
		return st_pipeline_top(r, false) ? ST_LOOP_STOP : 0;
	case ST_TOP_NOTHING:
		break;
	}
	return 0;
}

void st_pipeline_finish(struct st_run *r)
{
	st_top_end(r->top);
	r->top = NULL;
	if (r->o->summary)
		st_pipeline_summary(r);
}

void st_pipeline_free(struct st_run *r)
{
	st_conn_table_free(r->conns);
	r->conns = NULL;
	st_local_peers_free(r->local_peers);
	r->local_peers = NULL;
	st_peer_counts_free(r->peer_counts);
	r->peer_counts = NULL;
	st_dns_cache_free(r->names);
	r->names = NULL;
	st_peer_names_free(r->peer_names);
	r->peer_names = NULL;
}

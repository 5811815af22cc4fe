/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One run of the tracer: what main() sets up and the pipeline's parts share. */
#ifndef ST_RUN_H
#define ST_RUN_H

#include "cli.h"
#include "snapshot_counts.h"

struct socktrace_bpf;
struct ring_buffer;
struct st_loop;
struct st_top;
struct st_event;
struct st_exporter;
struct st_conn_table;
struct st_cgroups;
struct st_cg_seed;
struct st_local_peers;
struct st_peer_counts;
struct st_dns_cache;
struct st_peer_names;

struct st_run {
	const struct st_opts *o;
	struct socktrace_bpf *skel;	/* the loaded backend */
	int backend;			/* enum st_backend */
	struct st_loop *loop;
	struct ring_buffer *rb;		/* the source of events */
	/* the DNS answers (-e dns, --names): read before rb, so a name is known
	 * before the connect that its answer led to (source_dns.c) */
	struct ring_buffer *dns_rb;
	/* cgroups as they are made, named before their events (source_cgroups.c) */
	struct ring_buffer *cg_rb;
	/* where the source hands each event: the pipeline's first stage */
	void (*sink)(struct st_run *r, const struct st_event *e);
	/* the snapshot's record of the event the sink is handed, or NULL (a live one) */
	const struct st_existing *existing;
	struct st_snapshot_counts snap;
	struct st_top *top;		/* --top's screen, while it is shown */
	struct st_exporter *exporter;	/* --metrics */
	struct st_conn_table *conns;	/* --summary, --top: the connections open now */
	struct st_cgroups *cgroups;	/* names of cgroups; NULL: no cgroup2 mount */
	struct st_cg_seed *cg_seed;	/* the walk naming the cgroups that existed, while it goes */
	struct st_local_peers *local_peers;	/* who is at the other end; NULL: not wanted */
	struct st_peer_counts *peer_counts;	/* --summary, --top: who talks to whom, here */
	struct st_dns_cache *names;	/* remote addresses named by DNS answers (--names) */
	struct st_peer_names *peer_names;	/* --names with --summary, --top: what each
						 * process's events to an address were named */
	long long epoch_off_ns;		/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	unsigned long long events;	/* read from the ring buffer */
	unsigned long long dns_answers;	/* read from dns_events */
	unsigned long long dns_bad;	/* of those, not DNS answers the parser takes */
	unsigned batch;			/* events handled in the current read */
	unsigned dns_batch;		/* answers handled in the current read */
	unsigned cg_batch;		/* births handled in the current read */
	unsigned long long drops_reported;
	long long drops_reported_ns;	/* when, CLOCK_MONOTONIC */
};

#endif

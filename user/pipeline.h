/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The pipeline, in one screen:
 *
 *   sources                       enrichers          outputs
 *   ───────                       ─────────          ───────
 *   ring buffer events  ───────►  cgroup names ────► stream: text or JSON lines
 *     (source_ringbuf.c)          (cgroup_names.c)     (format.c)
 *   existing sockets    ───────►  remote names
 *     (source_snapshot.c,          (dns_cache.c),
 *      once, at start)            local peers
 *                                  (local_peers.c)
 *                                       ▲
 *   DNS answers ───────────────────────┘ and, with -e dns, the stream
 *     (source_dns.c)
 *
 *   kernel counters (proc_table.c, peers.c) ─ on timers (timers.c) ─► summary (summary.c),
 *                                                                     top (top.c)
 *
 * driven by one event loop (loop.c) over the ring buffer, the timers and the
 * signals; what the kernel says it lost is reported at the end (exit_report.c).
 */
#ifndef ST_PIPELINE_H
#define ST_PIPELINE_H

#include <stdbool.h>
#include "run.h"
#include <linux/types.h>
#include "socktrace.h"

/* The outputs before the first event: the stream's buffer and header. */
void st_pipeline_start(struct st_run *r);

/* A closed output ends the loop (ST_LOOP_STOP) as a signal does, even when no
 * event comes to find it: a pipe whose reader left, a terminal hung up. A file
 * can't close. 0, or -errno (said on stderr). */
int st_pipeline_watch_output(struct st_run *r);

/* One event from a source, through the enrichers to the outputs. */
void st_pipeline_event(struct st_run *r, const struct st_event *e);

/* One DNS answer, parsed: to the address->name cache, and to the outputs when -e dns. */
struct st_dns_event;
struct st_dns_msg;
void st_pipeline_dns(struct st_run *r, const struct st_dns_event *e, const struct st_dns_msg *m);

/* The views from the kernel's counters. */
void st_pipeline_summary(struct st_run *r);
/* --top's frame: tick, from its timer (skipped while paused); else after a
 * key. 0, or -1 when the terminal can't be written (said, unless a closed pipe). */
int st_pipeline_top(struct st_run *r, bool tick);
/* stdin readable under --top: the keys. 0, or ST_LOOP_STOP (q, or the
 * terminal gone). */
int st_pipeline_top_keys(struct st_run *r);

/* The open-connections table, when --summary or --top keeps one. 0 or -1 (said). */
int st_pipeline_conns_open(struct st_run *r);
/* The local peers table, when an output shows peers, and under --summary and
 * --top their counts. 0 or -1 (said). */
int st_pipeline_local_peers_open(struct st_run *r);
/* The address->name cache, with --names (or -e dns). 0 or -1 (said). */
int st_pipeline_names_open(struct st_run *r);

/* After the loop: --top's screen given back, the last summary (main then
 * drains what the source still holds). */
void st_pipeline_finish(struct st_run *r);

/* What the pipeline holds, freed (after the last drain). */
void st_pipeline_free(struct st_run *r);

#endif

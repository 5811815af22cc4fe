/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The pipeline, in one screen:
 *
 *   sources                       enrichers          outputs
 *   ───────                       ─────────          ───────
 *   ring buffer events  ───────►  (none yet)  ─────► stream: text or JSON lines
 *     (source_ringbuf.c)          (names,              (format.c)
 *   (snapshot of existing          containers,
 *    sockets, later)               NAT, later)
 *
 *   kernel counters (proc_table.c, peers.c) ─ on timers (timers.c) ─► summary (summary.c),
 *                                                                     top (top.c)
 *
 * driven by one event loop (loop.c) over the ring buffer, the timers and the
 * signals; what the kernel says it lost is reported at the end (exit_report.c).
 */
#ifndef ST_PIPELINE_H
#define ST_PIPELINE_H

#include "run.h"
#include <linux/types.h>
#include "socktrace.h"

/* The outputs before the first event: the stream's buffer and header. */
void st_pipeline_start(struct st_run *r);

/* One event from a source, through the enrichers to the outputs. */
void st_pipeline_event(struct st_run *r, const struct st_event *e);

/* One DNS answer, parsed: to the outputs when -e dns. */
struct st_dns_event;
struct st_dns_msg;
void st_pipeline_dns(struct st_run *r, const struct st_dns_event *e, const struct st_dns_msg *m);

/* The views from the kernel's counters. */
void st_pipeline_summary(struct st_run *r);
void st_pipeline_top(struct st_run *r);

/* After the loop: --top's screen given back, the last summary (main then
 * drains what the source still holds). */
void st_pipeline_finish(struct st_run *r);

#endif

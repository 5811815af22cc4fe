/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --summary: the per-process table as text, and its JSON twin. */
#ifndef ST_SUMMARY_H
#define ST_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>
#include "proc_table.h"

struct st_conn_table;
struct st_peer_view;
struct st_json;

/* a row's counters as JSON members, from "connects" to "rx_bytes" */
void st_summary_counters_json(struct st_json *j, const struct st_proc_stats *s);

/* the summary, as a table or as JSON lines ("event":"summary"); the OPEN
 * column from conns (which may be NULL: 0), which dropped events make inexact;
 * the BUSIEST and LOCAL columns (JSON: busiest_peers, local_peers) from peers */
void st_print_summary(FILE *f, const struct st_table *t, const struct st_conn_table *conns,
		      const struct st_peer_view *peers, bool json, long long epoch_ns,
		      unsigned long long dropped);

#endif

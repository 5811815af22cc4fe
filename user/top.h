/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --top: a full-screen live view per process, from the kernel's counters and
 * the open-connections table; driven by keys (top_keys.h) when stdin is a
 * terminal.
 */
#ifndef ST_TOP_H
#define ST_TOP_H

#include <stdbool.h>
#include <stdio.h>
#include "busiest_peers.h"
#include "peers.h"
#include "proc_table.h"
#include "top_keys.h"

struct st_top;
struct st_conn_table;
struct st_peer_counts;

/* Take over the terminal (term.h). NULL if stdout is not a terminal.
 * st_top_end() gives it back. */
struct st_top *st_top_begin(void);
void st_top_end(struct st_top *top);

/* stdin gives keys (it is a terminal, now in raw mode) */
bool st_top_has_keys(const struct st_top *top);
struct st_top_ui *st_top_ui(struct st_top *top);

/* what one frame shows */
struct st_top_frame {
	const struct st_table *t;
	const struct st_conn_table *conns;
	struct st_peer_view pv;		/* who each process talked to: the detail view */
	const struct st_peer_row *peers;
	size_t n_peers;
	const char *backend;
	unsigned long long dropped;
	long long now_ns;		/* CLOCK_MONOTONIC */
};

/* Draw one frame: the processes (sorted and filtered as the keys said) with
 * their rates since the last tick, and the busiest peers; or a process's
 * connections; or the help. tick: a timer's frame (the rates move on), not a
 * key's. 0, or -1 when the terminal can't be written. */
int st_top_draw(struct st_top *top, const struct st_top_frame *f, bool tick);

#endif

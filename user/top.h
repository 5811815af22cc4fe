/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --top: a full-screen live view per process, from the kernel's counters. */
#ifndef ST_TOP_H
#define ST_TOP_H

#include <stdio.h>
#include "peers.h"
#include "proc_table.h"

struct st_top;

/* Take over the terminal (alternate screen, hidden cursor). NULL if stdout
 * is not a terminal. st_top_end() gives it back; also call it on signals. */
struct st_top *st_top_begin(void);
void st_top_end(struct st_top *top);

/* Draw one frame: the processes by activity with their rates since the last
 * frame, and the busiest peers. */
void st_top_draw(struct st_top *top, const struct st_table *t, const struct st_peer_row *peers,
		 size_t n_peers, const char *backend, unsigned long long dropped);

#endif

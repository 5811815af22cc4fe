/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The per-process table, read from the counters the kernel side keeps
 * (proc_stats, and listens for the ports): what --summary and --top show.
 */
#ifndef ST_PROC_TABLE_H
#define ST_PROC_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "socktrace.h"

#define ST_ROW_PORTS	8	/* listening ports shown per process */

struct st_row {
	__u32 pid;
	struct st_proc_stats s;
	__u16 ports[ST_ROW_PORTS];	/* listening ports, ascending */
	int n_ports;			/* how many there are (may exceed ST_ROW_PORTS) */
};

struct st_table {
	struct st_row *rows;
	size_t n;
	bool full;	/* the kernel's process table is full: the least active were evicted */
};

/* activity of a process: what sorts the views */
__u64 st_activity(const struct st_proc_stats *s);

/* Read the kernel's counters, sorted by activity (most first). 0 or -errno. */
int st_table_read(int stats_fd, int listens_fd, __u32 max_procs, struct st_table *t);
void st_table_free(struct st_table *t);

#endif

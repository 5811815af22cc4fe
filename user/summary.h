/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Per-process views, from the counters the kernel side keeps (proc_stats,
 * peers, listens, udp_flows): the summary table and its JSON twin, and the
 * expiry of idle UDP flows.
 */
#ifndef ST_SUMMARY_H
#define ST_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>
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

/* a remote endpoint (k.pid unused) and the sockets all processes opened to it */
struct st_peer_row {
	struct st_peer_key k;
	__u64 count;
	__u32 processes;
};

/* activity of a process: what sorts the views */
__u64 st_activity(const struct st_proc_stats *s);

/* Read the kernel's counters, sorted by activity (most first). 0 or -errno. */
int st_table_read(int stats_fd, int listens_fd, __u32 max_procs, struct st_table *t);
void st_table_free(struct st_table *t);

/* The busiest remote endpoints (most sockets, all processes): up to max rows. */
size_t st_peers_top(int peers_fd, struct st_peer_row *out, size_t max);

/* "12345", "12.3K", "4.5M", "1.2G" */
void st_human(char *buf, size_t len, unsigned long long v);

/* the summary, as a table or as JSON lines ("event":"summary") */
void st_print_summary(FILE *f, const struct st_table *t, bool json, long long epoch_ns);

/* Delete UDP flows idle for idle_ns or more; returns how many. */
size_t st_udp_expire(int flows_fd, __u64 now_mono_ns, __u64 idle_ns);

#endif

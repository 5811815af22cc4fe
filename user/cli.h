/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef ST_CLI_H
#define ST_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "socktrace.h"
#include "backend_id.h"
#include "parse.h"

#define ST_BACKEND_AUTO	(-1)

/* --summary --by: what a row is */
enum st_by { ST_BY_PID = 0, ST_BY_COMM, ST_BY_UNIT, ST_BY_CONTAINER, ST_BY_CGROUP };

/* "pid", "comm", ... */
const char *st_by_name(enum st_by by);
/* the name's value into *by: 0, or -1 when it is none of them */
int st_by_parse(const char *s, enum st_by *by);

struct st_opts {
	__u32 pids[ST_MAX_PIDS];
	int n_pids;
	struct st_port_range ports[ST_MAX_PORTS];
	int n_ports;
	__u32 event_mask;		/* ST_EV_BIT()s; all but dns when not given */
	bool dns;			/* DNS answers captured: -e dns or --dns */
	bool names;			/* DNS answers captured to name remote addresses
					 * (rname): --names, or with dns */
	bool tcp, udp, v4, v6;		/* true: wanted */
	bool json;
	bool verbose;
	bool probe;
	bool version;			/* -V: the caller prints st_print_version() */
	bool no_header;
	bool summary;			/* -s: per-process table, no stream */
	bool stream;			/* the event stream is on (off with -s or --top,
					 * unless --stream) */
	unsigned long long summary_every_s;	/* -s=N: also every N seconds */
	bool top;			/* --top: full-screen view */
	bool conns;			/* the open-connections table is kept (--summary,
					 * --top): its events go through the ring buffer */
	bool snapshot;			/* --snapshot: what exists, then exit */
	int by;				/* --by: enum st_by, ST_BY_PID by default */
	char comm[ST_COMM_LEN + 1];	/* -c: "" for any */
	long long uid;			/* -U: -1 for any */
	/* --cgroup PATH and --container ID as given (argv's strings), up to
	 * ST_MAX_CGROUPS together; main() resolves them into cgroup_fds */
	const char *cgroup_args[ST_MAX_CGROUPS];
	int n_cgroup_args;
	const char *container_args[ST_MAX_CGROUPS];
	int n_container_args;
	int cgroup_fds[ST_MAX_CGROUPS];	/* the subtrees' directories, open; for the kernel */
	int n_cgroup_fds;
	unsigned long long udp_idle_s;	/* a UDP flow idle this long expires */
	int backend;			/* enum st_backend or ST_BACKEND_AUTO */
	unsigned long long duration_s;	/* 0: until stopped */
	unsigned long long buffer_size;	/* ring buffer bytes */
	bool metrics;			/* --metrics: serve /metrics */
	struct st_listen metrics_addr;
	unsigned long long metrics_max_series;	/* series per metric */
	unsigned metrics_labels;	/* --metrics-labels: ST_ML_BIT()s (metrics.h) */
	/* tests only, set by st_test_seam_read() (test_seam.c), never by the parser */
	unsigned long long test_lose_close_port;
	unsigned long long test_lose_return_port;	/* kprobe: connect returns ignored */
	unsigned long long test_proc_table;	/* 0, or the kernel's process table size */
	bool test_no_cgroup_walk;		/* no walk naming the cgroups at start */
};

enum st_cli_result {
	ST_CLI_RUN = 0,		/* options parsed: go on */
	ST_CLI_EXIT = 1,	/* --help was printed, or --version asked (o->version): exit 0 */
	ST_CLI_USAGE = 2,	/* err holds a one-line reason: exit 2 */
};

/* Parse argv into o. Help text goes to out; --version sets o->version (the
 * caller prints it: version.h). Never exits. */
enum st_cli_result st_cli_parse(int argc, char **argv, struct st_opts *o, FILE *out,
				char *err, size_t errlen);

const char *st_backend_name(int backend);

/* The i-th long option's name ("pid"), or NULL past the last: for --probe --json. */
const char *st_cli_long_option(size_t i);

#endif

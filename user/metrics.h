/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics: counters summed in userspace from the event stream, per process
 * name (comm), in a bounded hash table. Every event the pipeline sees is
 * counted here, so the counters never decrease while socktrace runs (the
 * kernel's process table may evict a process; these sums do not).
 *
 * A series is keyed by the labels chosen (--metrics-labels): the comm, and
 * the container, unit and pod its cgroup names (cgroup_parse.h), together.
 * Bounds: at most max_series keys; events of any further key are summed
 * under comm "other" (the other labels empty) and counted in overflow. No pid
 * and no port is ever a label.
 */
#ifndef ST_METRICS_H
#define ST_METRICS_H

#include <stddef.h>
#include <linux/types.h>
#include "socktrace.h"
#include "cgroup_parse.h"

#define ST_METRICS_DEFAULT_SERIES	1000
#define ST_METRICS_MAX_SERIES		100000

/* the labels a series can be keyed by: bits of st_metrics.labels */
enum st_mlabel { ST_ML_COMM, ST_ML_CONTAINER, ST_ML_UNIT, ST_ML_POD, ST_ML_N };
#define ST_ML_BIT(l)		(1u << (l))
#define ST_ML_DEFAULT		ST_ML_BIT(ST_ML_COMM)
#define ST_ML_CGROUP		(ST_ML_BIT(ST_ML_CONTAINER) | ST_ML_BIT(ST_ML_UNIT) | ST_ML_BIT(ST_ML_POD))
extern const char *const st_mlabel_names[ST_ML_N];

/* "comm,container" into ST_ML_BIT()s: 0, or -1 with a one-line reason in err */
int st_mlabels_parse(const char *s, unsigned *labels, char *err, size_t errlen);

/* the reasons a connect fails, as the failures_total label says them */
enum st_mreason { ST_MR_REFUSED, ST_MR_TIMEOUT, ST_MR_UNREACHABLE, ST_MR_OTHER, ST_MR_N };
extern const char *const st_mreason_names[ST_MR_N];

/* connection duration buckets, upper bounds in seconds (the +Inf one after them) */
#define ST_MDUR_N	10
extern const double st_mdur_le[ST_MDUR_N];

struct st_mseries {
	char comm[ST_COMM_LEN];		/* NUL-padded; all NUL when comm is not a label */
	char *rest;			/* the chosen container, unit and pod, each ending
					 * in a NUL; NULL when all are empty */
	size_t rest_len;
	int used;			/* 0: a free slot */
	__u64 connects, accepts, closes, listens;
	__u64 fails[ST_MR_N];
	__u64 tx_bytes, rx_bytes;	/* TCP payload, counted at close */
	__u64 udp_flows, udp_flows_in;		/* sent flows, received flows */
	__u64 udp_packets_out, udp_bytes_out;	/* summed from the kernel's process table */
	__u64 udp_packets_in, udp_bytes_in;	/* the same, received */
	__u64 dur_count, dur_sum_ns;
	__u64 dur_bucket[ST_MDUR_N];	/* not cumulative: the writer sums them */
};

struct st_metrics {
	struct st_mseries *slots;	/* open addressing, cap a power of two */
	size_t cap, n, max_series;
	unsigned labels;		/* ST_ML_BIT()s: what keys a series */
	struct st_mseries other;	/* comm "other": every name past max_series */
	__u64 overflow;			/* events summed under "other" past the limit */
	int other_used;			/* "other" has had an event */
	__u64 events[ST_EV_MAX];	/* by type */
	__u64 closes_late;
};

int st_metrics_init(struct st_metrics *m, size_t max_series, unsigned labels);	/* 0 or -ENOMEM */
void st_metrics_free(struct st_metrics *m);
/* id: what the event's cgroup names; NULL when it is not known */
void st_metrics_event(struct st_metrics *m, const struct st_event *e,
		      const struct st_cg_ident *id);

/* the series of a process name and cgroup identity (NULL: none): found, new,
 * or m->other past the limit (or when no memory is left for its labels) */
struct st_mseries *st_metrics_series(struct st_metrics *m, const char *comm,
				     const struct st_cg_ident *id);

/* the longest rest of a key: container, unit and pod with their NULs */
#define ST_MREST_MAX	(ST_CG_ID_MAX + ST_CG_UNIT_MAX + ST_CG_POD_MAX + 3)

#endif

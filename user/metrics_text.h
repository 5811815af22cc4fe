/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The Prometheus text exposition format (version 0.0.4) of the metrics:
 * each family's HELP and TYPE, then its samples. A label value (comm,
 * container, unit, pod) is the bytes as the text stream writes them (escape.c, ST_ESC_TEXT: non-printable
 * bytes as \xHH, a backslash as \\), then escaped for the label syntax
 * (backslash and double quote with a backslash; no newline is left by then).
 */
#ifndef ST_METRICS_TEXT_H
#define ST_METRICS_TEXT_H

#include <stddef.h>
#include "metrics.h"

struct st_mbuf {
	char *p;
	size_t len, cap;
	int oom;		/* an allocation failed: the text is cut */
};

struct st_mself {
	const char *version, *backend;
	unsigned long long dropped;	/* the kernel's ring buffer drops */
	unsigned long long procs_evicted;	/* pids evicted from the kernel's table */
	unsigned long long procs_unread;	/* pids evicted before any read saw them */
	unsigned long long hooks_skipped;	/* hook runs the kernel skipped (st_backend_missed) */
};

/* The whole page into b (appended); free b->p after. */
void st_metrics_text(struct st_mbuf *b, const struct st_metrics *m, const struct st_mself *self);

/* printf into b, growing it */
void st_mbuf_printf(struct st_mbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* a comm as a label value, quotes not included: into out (ST_MLABEL_LEN) */
#define ST_MLABEL_LEN	(ST_COMM_LEN * 8 + 1)
void st_metrics_label(char *out, const char *comm);

/* a series' labels, 'comm="curl",unit="x.service"', into out (ST_MLABELS_LEN):
 * those m->labels chooses; comm="other" always for m->other */
#define ST_MLABELS_LEN	4096	/* > 5 per byte of every value, the names and quotes */
void st_metrics_labels(char *out, size_t outlen, const struct st_metrics *m,
		       const struct st_mseries *s);

#endif

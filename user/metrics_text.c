// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "event_kinds.h"
#include "metrics_text.h"

void st_mbuf_printf(struct st_mbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 1 << 16;
		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

/* n bytes of s (up to a NUL) as a label value into out (outlen) */
static void label_value(char *out, size_t outlen, const char *s, size_t n)
{
	char text[ST_ESC_MAX(ST_CG_UNIT_MAX)];
	size_t o = 0;

	st_escape(text, sizeof(text), s, n, ST_ESC_TEXT);
	for (const char *c = text; *c && o + 2 < outlen; c++) {
		if (*c == '\\' || *c == '"')
			out[o++] = '\\';
		out[o++] = *c;
	}
	out[o] = '\0';
}

void st_metrics_label(char *out, const char *comm)
{
	label_value(out, ST_MLABEL_LEN, comm, ST_COMM_LEN);
}

void st_metrics_labels(char *out, size_t outlen, const struct st_metrics *m,
		       const struct st_mseries *s)
{
	const char *v[ST_ML_N] = { s->comm, "", "", "" };
	size_t bound[ST_ML_N] = { ST_COMM_LEN, ST_CG_ID_MAX, ST_CG_UNIT_MAX, ST_CG_POD_MAX };
	size_t o = 0;

	/* the rest: container, unit and pod, each NUL-terminated */
	for (size_t l = ST_ML_CONTAINER, at = 0; s->rest && l < ST_ML_N && at < s->rest_len; l++) {
		v[l] = s->rest + at;
		at += strnlen(v[l], s->rest_len - at) + 1;
	}
	out[0] = '\0';
	for (int l = 0; l < ST_ML_N; l++) {
		char val[ST_MLABELS_LEN];

		/* the overflow series says comm="other" whatever the labels */
		if (!(m->labels & ST_ML_BIT(l)) && !(l == ST_ML_COMM && s == &m->other))
			continue;
		label_value(val, sizeof(val), v[l], bound[l]);
		o += (size_t)snprintf(out + o, outlen - o, "%s%s=\"%s\"", o ? "," : "",
				      st_mlabel_names[l], val);
		if (o >= outlen) {	/* cannot be: ST_MLABELS_LEN holds the longest */
			out[outlen - 1] = '\0';
			return;
		}
	}
}

static void family(struct st_mbuf *b, const char *name, const char *type, const char *help)
{
	st_mbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* each series in use, then "other" when anything went there */
#define FOR_SERIES(m, s)							\
	for (size_t i_ = 0; i_ <= (m)->cap; i_++)				\
		for (const struct st_mseries *s = i_ < (m)->cap ? &(m)->slots[i_] : &(m)->other; \
		     s; s = NULL)						\
			if (s->used && (i_ < (m)->cap || (m)->other_used))

/* one counter or gauge per series: field at offset off in struct st_mseries */
static void per_comm(struct st_mbuf *b, const struct st_metrics *m, const char *name,
		     const char *type, const char *help, const char *extra, size_t off)
{
	char label[ST_MLABELS_LEN];

	family(b, name, type, help);
	FOR_SERIES(m, s) {
		__u64 v = *(const __u64 *)((const char *)s + off);

		st_metrics_labels(label, sizeof(label), m, s);
		st_mbuf_printf(b, "%s{%s%s} %llu\n", name, label, extra,
			       (unsigned long long)v);
	}
}

#define PER_COMM(b, m, name, type, help, extra, field) \
	per_comm(b, m, name, type, help, extra, offsetof(struct st_mseries, field))

/* a counter by direction: each series sent (dir="out"), then received (dir="in") */
static void per_comm_dir(struct st_mbuf *b, const struct st_metrics *m, const char *name,
			 const char *help, size_t off_out, size_t off_in)
{
	char label[ST_MLABELS_LEN];

	family(b, name, "counter", help);
	FOR_SERIES(m, s) {
		st_metrics_labels(label, sizeof(label), m, s);
		st_mbuf_printf(b, "%s{%s,dir=\"out\"} %llu\n%s{%s,dir=\"in\"} %llu\n", name, label,
			       (unsigned long long)*(const __u64 *)((const char *)s + off_out), name,
			       label, (unsigned long long)*(const __u64 *)((const char *)s + off_in));
	}
}

#define PER_COMM_DIR(b, m, name, help, out, in)						\
	per_comm_dir(b, m, name, help, offsetof(struct st_mseries, out),			\
		     offsetof(struct st_mseries, in))

static void failures(struct st_mbuf *b, const struct st_metrics *m)
{
	char label[ST_MLABELS_LEN];

	family(b, "socktrace_tcp_failures_total", "counter", "TCP connects that failed, by reason.");
	FOR_SERIES(m, s) {
		st_metrics_labels(label, sizeof(label), m, s);
		for (int r = 0; r < ST_MR_N; r++)
			if (s->fails[r])
				st_mbuf_printf(b, "socktrace_tcp_failures_total{%s,reason=\"%s\"} %llu\n",
					       label, st_mreason_names[r],
					       (unsigned long long)s->fails[r]);
	}
}

static void durations(struct st_mbuf *b, const struct st_metrics *m)
{
	static const char n[] = "socktrace_tcp_connection_duration_seconds";
	char label[ST_MLABELS_LEN];

	family(b, n, "histogram", "TCP connections opened and closed while tracing, by lifetime.");
	FOR_SERIES(m, s) {
		__u64 cum = 0;

		st_metrics_labels(label, sizeof(label), m, s);
		for (int i = 0; i < ST_MDUR_N; i++) {
			cum += s->dur_bucket[i];
			st_mbuf_printf(b, "%s_bucket{%s,le=\"%g\"} %llu\n", n, label,
				       st_mdur_le[i], (unsigned long long)cum);
		}
		st_mbuf_printf(b, "%s_bucket{%s,le=\"+Inf\"} %llu\n", n, label,
			       (unsigned long long)s->dur_count);
		st_mbuf_printf(b, "%s_sum{%s} %.9f\n", n, label, s->dur_sum_ns / 1e9);
		st_mbuf_printf(b, "%s_count{%s} %llu\n", n, label,
			       (unsigned long long)s->dur_count);
	}
}

static void open_connections(struct st_mbuf *b, const struct st_metrics *m)
{
	char label[ST_MLABELS_LEN];

	family(b, "socktrace_tcp_open_connections", "gauge",
	       "TCP connections opened while tracing and not closed yet.");
	FOR_SERIES(m, s) {
		__u64 open = s->connects + s->accepts;

		st_metrics_labels(label, sizeof(label), m, s);
		st_mbuf_printf(b, "socktrace_tcp_open_connections{%s} %llu\n", label,
			       (unsigned long long)(open > s->closes ? open - s->closes : 0));
	}
}

static void self_metrics(struct st_mbuf *b, const struct st_metrics *m,
			 const struct st_mself *self)
{
	family(b, "socktrace_events_total", "counter", "Events read from the kernel, by kind.");
	for (size_t i = 0; i < st_n_event_kinds; i++)
		st_mbuf_printf(b, "socktrace_events_total{event=\"%s\"} %llu\n",
			       st_event_kinds[i].name,
			       (unsigned long long)m->events[st_event_kinds[i].type]);
	family(b, "socktrace_events_dropped_total", "counter",
	       "Events the kernel dropped: the ring buffer was full.");
	st_mbuf_printf(b, "socktrace_events_dropped_total %llu\n", self->dropped);
	family(b, "socktrace_hook_runs_skipped_total", "counter",
	       "Runs of socktrace's programs the kernel skipped (one was already running on that "
	       "CPU): their events may be missing.");
	st_mbuf_printf(b, "socktrace_hook_runs_skipped_total %llu\n", self->hooks_skipped);
	family(b, "socktrace_closes_late_total", "counter",
	       "Closes found late, when the socket's memory was reused (no bytes, no duration).");
	st_mbuf_printf(b, "socktrace_closes_late_total %llu\n", (unsigned long long)m->closes_late);
	family(b, "socktrace_metrics_series_overflow_total", "counter",
	       "Events of series past --metrics-max-series, summed under comm=\"other\".");
	st_mbuf_printf(b, "socktrace_metrics_series_overflow_total %llu\n",
		       (unsigned long long)m->overflow);
	family(b, "socktrace_process_table_evictions_total", "counter",
	       "Processes the kernel's table evicted; their UDP counts since the last "
	       "read (at most 1 s) are lost.");
	st_mbuf_printf(b, "socktrace_process_table_evictions_total %llu\n", self->procs_evicted);
	family(b, "socktrace_process_table_unread_total", "counter",
	       "Processes the kernel's table evicted before any read: their UDP counts are lost.");
	st_mbuf_printf(b, "socktrace_process_table_unread_total %llu\n", self->procs_unread);
	family(b, "socktrace_build_info", "gauge", "The socktrace build and backend: always 1.");
	st_mbuf_printf(b, "socktrace_build_info{version=\"%s\",backend=\"%s\"} 1\n", self->version,
		       self->backend);
}

void st_metrics_text(struct st_mbuf *b, const struct st_metrics *m, const struct st_mself *self)
{
	PER_COMM(b, m, "socktrace_tcp_connects_total", "counter", "TCP connects (active opens).",
		 "", connects);
	PER_COMM(b, m, "socktrace_tcp_accepts_total", "counter", "TCP accepts (passive opens).",
		 "", accepts);
	failures(b, m);
	PER_COMM(b, m, "socktrace_tcp_closes_total", "counter",
		 "TCP connections opened while tracing that closed.", "", closes);
	PER_COMM(b, m, "socktrace_tcp_sent_bytes_total", "counter",
		 "TCP payload bytes sent, counted when the connection closes.", "", tx_bytes);
	PER_COMM(b, m, "socktrace_tcp_received_bytes_total", "counter",
		 "TCP payload bytes received, counted when the connection closes.", "", rx_bytes);
	PER_COMM_DIR(b, m, "socktrace_udp_flows_total",
		     "New UDP flows, sent and received (a flow busy again after --udp-idle is a new one).",
		     udp_flows, udp_flows_in);
	PER_COMM_DIR(b, m, "socktrace_udp_packets_total", "UDP datagrams sent and received.",
		     udp_packets_out, udp_packets_in);
	PER_COMM_DIR(b, m, "socktrace_udp_bytes_total", "UDP payload bytes sent and received.",
		     udp_bytes_out, udp_bytes_in);
	durations(b, m);
	open_connections(b, m);
	PER_COMM(b, m, "socktrace_tcp_listen_sockets", "gauge",
		 "TCP sockets that started listening while tracing (their end is not seen).", "",
		 listens);
	self_metrics(b, m, self);
}

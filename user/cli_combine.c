// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The options that go together, checked once all are read (cli.c), and what
 * follows from them: the families and protocols followed, the event kinds,
 * whether events are streamed.
 */
#include "cli_int.h"

enum st_cli_result st_cli_combine(struct st_opts *o, const struct st_cli_seen *s, char *err,
				  size_t errlen)
{
	if (s->only_tcp && s->only_udp) {
		snprintf(err, errlen, "--tcp and --udp together select nothing: give one or neither");
		return ST_CLI_USAGE;
	}
	if (s->only_v4 && s->only_v6) {
		snprintf(err, errlen, "-4 and -6 together select nothing: give one or neither");
		return ST_CLI_USAGE;
	}
	o->tcp = !s->only_udp;
	o->udp = !s->only_tcp;
	o->v4 = !s->only_v6;
	o->v6 = !s->only_v4;
	if (s->opt['e'] && s->opt[OPT_FAIL]) {
		snprintf(err, errlen, "--fail and --events together: give one");
		return ST_CLI_USAGE;
	}
	if (!o->event_mask)
		o->event_mask = ST_EV_ALL & ~ST_EV_BIT(ST_EV_DNS);
	if (o->dns)
		o->event_mask |= ST_EV_BIT(ST_EV_DNS);
	o->dns = o->event_mask & ST_EV_BIT(ST_EV_DNS);
	o->names = o->names || o->dns;	/* what the answers say names later events too */
	if (o->udp && !o->tcp && !(o->event_mask & ST_EV_BIT(ST_EV_UDP))) {
		snprintf(err, errlen, "--udp with --events lacking udp selects nothing");
		return ST_CLI_USAGE;
	}
	if (o->tcp && !o->udp && !(o->event_mask & ~ST_EV_BIT(ST_EV_UDP))) {
		snprintf(err, errlen, "--tcp with --events udp selects nothing");
		return ST_CLI_USAGE;
	}
	if (s->opt[OPT_BY] && !o->summary) {
		snprintf(err, errlen, "--by goes with --summary");
		return ST_CLI_USAGE;
	}
	if (o->stream && !o->summary) {
		snprintf(err, errlen, "--stream goes with --summary (the stream is on by default)");
		return ST_CLI_USAGE;
	}
	if ((s->opt[OPT_METRICS_SERIES] || s->opt[OPT_METRICS_LABELS]) && !o->metrics) {
		snprintf(err, errlen, "%s goes with --metrics",
			 s->opt[OPT_METRICS_SERIES] ? "--metrics-max-series" : "--metrics-labels");
		return ST_CLI_USAGE;
	}
	/* --metrics alone is a quiet exporter; with -j, the JSON stream too */
	o->stream = o->stream || (!o->summary && (!o->metrics || o->json));
	if (o->top && (o->summary || o->json)) {
		snprintf(err, errlen, "--top is a view of its own: not with --summary or --json");
		return ST_CLI_USAGE;
	}
	if (o->top)
		o->stream = false;
	o->conns = o->summary || o->top;
	if (o->snapshot && (o->summary || o->top || o->metrics || o->duration_s || o->probe)) {
		snprintf(err, errlen, "--snapshot prints what exists and exits: not with --summary, "
			 "--top, --metrics, --duration or --probe");
		return ST_CLI_USAGE;
	}
	if (o->probe && (o->n_pids || o->n_ports || o->duration_s || o->summary ||
			 o->top || o->comm[0] || o->uid >= 0 || o->metrics || o->n_cgroup_args ||
			 o->n_container_args)) {
		snprintf(err, errlen, "--probe takes no filter or output option");
		return ST_CLI_USAGE;
	}
	return ST_CLI_RUN;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The command line, read into struct st_opts: each option's value checked
 * as it comes (take()); how they go together is cli_combine.c's.
 */
#include <getopt.h>
#include <string.h>
#include "cli_int.h"
#include "metrics.h"
#include "parse.h"

#define DEFAULT_BUFFER_SIZE	(4ULL << 20)

static const struct option long_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "port", required_argument, NULL, 'P' },
	{ "tcp", no_argument, NULL, 't' },
	{ "udp", no_argument, NULL, 'u' },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "events", required_argument, NULL, 'e' },
	{ "comm", required_argument, NULL, 'c' },
	{ "uid", required_argument, NULL, 'U' },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "container", required_argument, NULL, OPT_CONTAINER },
	{ "fail", no_argument, NULL, OPT_FAIL },
	{ "dns", no_argument, NULL, OPT_DNS },
	{ "names", no_argument, NULL, OPT_NAMES },
	{ "summary", optional_argument, NULL, 's' },
	{ "top", no_argument, NULL, OPT_TOP },
	{ "snapshot", no_argument, NULL, OPT_SNAPSHOT },
	{ "stream", no_argument, NULL, OPT_STREAM },
	{ "by", required_argument, NULL, OPT_BY },
	{ "udp-idle", required_argument, NULL, OPT_UDP_IDLE },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "metrics-max-series", required_argument, NULL, OPT_METRICS_SERIES },
	{ "metrics-labels", required_argument, NULL, OPT_METRICS_LABELS },
	{ "json", no_argument, NULL, 'j' },
	{ "no-header", no_argument, NULL, 'H' },
	{ "duration", required_argument, NULL, 'd' },
	{ "backend", required_argument, NULL, 'b' },
	{ "probe", no_argument, NULL, OPT_PROBE },
	{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

const char *st_cli_long_option(size_t i)
{
	return i < sizeof(long_opts) / sizeof(long_opts[0]) - 1 ? long_opts[i].name : NULL;
}

/* the option as the user wrote it, for messages: "--pid" or "-p" */
static const char *opt_name(int c, char *buf, size_t len)
{
	for (const struct option *lo = long_opts; lo->name; lo++) {
		if (lo->val == c) {
			snprintf(buf, len, "--%s", lo->name);
			return buf;
		}
	}
	snprintf(buf, len, "-%c", c);
	return buf;
}

/* one option c with its value (optarg) into o: 0, 1 when it is all (-h, -V), or -1 with err */
static int take(int c, struct st_opts *o, struct st_cli_seen *s, FILE *out, char *err,
		size_t errlen)
{
	char q[ST_QUOTE_LEN];
	unsigned long long v;

	switch (c) {
	case 'p':
		if (st_parse_pids(optarg, o->pids, ST_MAX_PIDS, &o->n_pids, err, errlen))
			return -1;
		break;
	case 'P':
		if (st_parse_ports(optarg, o->ports, ST_MAX_PORTS, &o->n_ports, err, errlen))
			return -1;
		break;
	case 't': s->only_tcp = true; break;
	case 'u': s->only_udp = true; break;
	case '4': s->only_v4 = true; break;
	case '6': s->only_v6 = true; break;
	case 'e':
		if (st_parse_events(optarg, &o->event_mask, err, errlen))
			return -1;
		break;
	case 'c':
		if (!optarg[0] || strlen(optarg) > ST_COMM_LEN - 1) {
			snprintf(err, errlen, "invalid process name '%s': 1 to %d bytes",
				 st_quote(optarg, strlen(optarg), q, sizeof(q)),
				 ST_COMM_LEN - 1);
			return -1;
		}
		snprintf(o->comm, sizeof(o->comm), "%s", optarg);
		break;
	case 'U':
		if (st_parse_uint(optarg, 0, 4294967294ULL, &v, "uid", err, errlen))
			return -1;
		o->uid = (long long)v;
		break;
	case OPT_CGROUP:
	case OPT_CONTAINER:
		if (o->n_cgroup_args + o->n_container_args == ST_MAX_CGROUPS) {
			snprintf(err, errlen, "too many --cgroup and --container: at most %d",
				 ST_MAX_CGROUPS);
			return -1;
		}
		if (!optarg[0] || strlen(optarg) > 4095 ||
		    (c == OPT_CONTAINER && strspn(optarg, "0123456789abcdef") != strlen(optarg)) ||
		    (c == OPT_CONTAINER && strlen(optarg) > 64)) {
			snprintf(err, errlen, c == OPT_CGROUP ?
				 "invalid cgroup '%s': a path of 1 to 4095 bytes" :
				 "invalid container id '%s': 1 to 64 lowercase hex digits",
				 st_quote(optarg, strlen(optarg), q, sizeof(q)));
			return -1;
		}
		if (c == OPT_CGROUP)
			o->cgroup_args[o->n_cgroup_args++] = optarg;
		else
			o->container_args[o->n_container_args++] = optarg;
		break;
	case OPT_FAIL:
		o->event_mask = ST_EV_BIT(ST_EV_FAIL);
		break;
	case OPT_DNS:
		o->dns = true;
		break;
	case OPT_NAMES:
		o->names = true;
		break;
	case 's':
		o->summary = true;
		if (optarg && st_parse_uint(optarg, 1, 86400, &o->summary_every_s,
					    "summary interval", err, errlen))
			return -1;
		break;
	case OPT_TOP: o->top = true; break;
	case OPT_SNAPSHOT: o->snapshot = true; break;
	case OPT_STREAM: o->stream = true; break;
	case OPT_BY: {
		enum st_by by;

		if (st_by_parse(optarg, &by)) {
			snprintf(err, errlen, "invalid --by '%s': pid, comm, unit, container "
				 "or cgroup", st_quote(optarg, strlen(optarg), q, sizeof(q)));
			return -1;
		}
		o->by = (int)by;
		break;
	}
	case OPT_UDP_IDLE:
		if (st_parse_uint(optarg, 1, 86400, &o->udp_idle_s, "udp idle time", err,
				  errlen))
			return -1;
		break;
	case OPT_METRICS:
		if (st_parse_listen(optarg, &o->metrics_addr, err, errlen))
			return -1;
		o->metrics = true;
		break;
	case OPT_METRICS_SERIES:
		if (st_parse_uint(optarg, 1, ST_METRICS_MAX_SERIES, &o->metrics_max_series,
				  "metrics series limit", err, errlen))
			return -1;
		break;
	case OPT_METRICS_LABELS:
		if (st_mlabels_parse(optarg, &o->metrics_labels, err, errlen))
			return -1;
		break;
	case 'j': o->json = true; break;
	case 'H': o->no_header = true; break;
	case 'd':
		if (st_parse_uint(optarg, 1, 31536000, &o->duration_s, "duration", err,
				  errlen))
			return -1;
		break;
	case 'b':
		if (st_backend_parse(optarg, &o->backend, err, errlen))
			return -1;
		break;
	case OPT_PROBE: o->probe = true; break;
	case OPT_BUFFER_SIZE:
		if (st_parse_size(optarg, &v, err, errlen))
			return -1;
		if (v < 4096 || v > (1ULL << 30) || (v & (v - 1))) {
			snprintf(err, errlen,
				 "invalid buffer size '%s': must be a power of two from 4K to 1024M",
				 st_quote(optarg, strlen(optarg), q, sizeof(q)));
			return -1;
		}
		o->buffer_size = v;
		break;
	case 'v': o->verbose = true; break;
	case 'V':
		/* printed by the caller (version.c): it needs libbpf */
		o->version = true;
		return 1;
	case 'h':
		st_cli_usage(out);
		return 1;
	}
	return 0;
}

enum st_cli_result st_cli_parse(int argc, char **argv, struct st_opts *o, FILE *out,
				char *err, size_t errlen)
{
	struct st_cli_seen s = {};
	char name[32], q[ST_QUOTE_LEN];
	int c;

	memset(o, 0, sizeof(*o));
	o->backend = ST_BACKEND_AUTO;
	o->buffer_size = DEFAULT_BUFFER_SIZE;
	o->event_mask = 0;
	o->uid = -1;
	o->udp_idle_s = 60;
	o->metrics_max_series = ST_METRICS_DEFAULT_SERIES;
	o->metrics_labels = ST_ML_DEFAULT;
	err[0] = '\0';
	optind = 0;	/* a fresh scan, also when called more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:P:tu46e:c:U:s::jHd:b:vVh", long_opts, NULL)) != -1) {
		if (c == '?') {
			const char *arg = argv[optind - 1];

			if (optopt && !strncmp(arg, "--", 2)) {	/* "--json=1" */
				snprintf(err, errlen, "option '%s' takes no value (see --help)",
					 st_quote(arg, strlen(arg), q, sizeof(q)));
			} else if (optopt) {
				char opt[3] = { '-', (char)optopt, '\0' };

				snprintf(err, errlen, "unknown option '%s' (see --help)",
					 st_quote(opt, 2, q, sizeof(q)));
			}
			else {
				snprintf(err, errlen, "unknown option '%s' (see --help)",
					 st_quote(argv[optind - 1], strlen(argv[optind - 1]), q,
						  sizeof(q)));
			}
			return ST_CLI_USAGE;
		}
		if (c == ':') {
			snprintf(err, errlen, "option '%s' needs a value (see --help)",
				 st_quote(argv[optind - 1], strlen(argv[optind - 1]), q, sizeof(q)));
			return ST_CLI_USAGE;
		}
		if (c >= 0 && c < (int)sizeof(s.opt)) {
			if (s.opt[c] && c != 'v' && c != OPT_CGROUP && c != OPT_CONTAINER) {	/* repeatable */
				snprintf(err, errlen, "option %s given twice",
					 opt_name(c, name, sizeof(name)));
				return ST_CLI_USAGE;
			}
			s.opt[c] = true;
		}
		switch (take(c, o, &s, out, err, errlen)) {
		case -1: return ST_CLI_USAGE;
		case 1: return ST_CLI_EXIT;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s' (see --help)",
			 st_quote(argv[optind], strlen(argv[optind]), q, sizeof(q)));
		return ST_CLI_USAGE;
	}
	return st_cli_combine(o, &s, err, errlen);
}

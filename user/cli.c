// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <getopt.h>
#include <string.h>
#include "cli.h"
#include "event_kinds.h"
#include "metrics.h"
#include "parse.h"

#define DEFAULT_BUFFER_SIZE	(4ULL << 20)

/* the help, in two parts around the event kinds (event_kinds.c) */
static const char usage_head[] =
"Usage: socktrace [OPTIONS]\n"
"Trace TCP connects and accepts and new UDP flows, live, with the process\n"
"that owns each socket.\n"
"\n"
"Filters (applied in the kernel):\n"
"  -p, --pid PID[,PID...]         only these processes (up to 16)\n"
"  -P, --port PORT[,PORT|LO-HI...] only sockets whose local or remote port\n"
"                                 is in the list (up to 16 entries)\n"
"  -t, --tcp                      TCP only\n"
"  -u, --udp                      UDP only\n"
"  -4, --ipv4                     IPv4 only\n"
"  -6, --ipv6                     IPv6 only\n"
"  -c, --comm NAME                only processes named NAME\n"
"  -U, --uid UID                  only processes of user UID\n"
"      --cgroup PATH              only processes in cgroup PATH or below it: a\n"
"                                 cgroup path (/system.slice/nginx.service) or its\n"
"                                 directory under the cgroup2 mount; repeatable\n"
"      --container ID             only processes of the container whose id begins\n"
"                                 with ID (its cgroup, found at start); repeatable\n"
"                                 (up to 8 --cgroup and --container together)\n"
"  -e, --events LIST              event kinds: ";
static const char usage_tail[] =
"                                 (dns only when named)\n"
"      --fail                     failed connects only (--events fail)\n"
"      --dns                      DNS answers as events too (--events with dns)\n"
"      --names                    capture DNS answers to name remote addresses\n"
"                                 (rname) without showing them (on with dns)\n"
"Output:\n"
"  -j, --json                     one JSON object per line\n"
"  -H, --no-header                no header line in text mode\n"
"  -d, --duration SECONDS         stop after SECONDS\n"
"  -s, --summary[=SECONDS]        a table per process instead of the stream, at the\n"
"                                 end and, with SECONDS, every SECONDS\n"
"      --stream                   with --summary: the event stream too\n"
"      --by KEY                   with --summary: one row per pid (default), comm,\n"
"                                 unit, container or cgroup\n"
"      --top                      a full-screen view per process, refreshed every second;\n"
"                                 keys: e c a f o b sort (events, connects, accepts,\n"
"                                 fails, open, bytes), / filter by name, Up/Down and\n"
"                                 Enter a process's connections, p pause, h help, q quit\n"
"                                 --summary's and --top's OPEN: connections open now, fed\n"
"                                 by every connect, accept, close and fail whatever -e\n"
"                                 says; exact while no event is dropped\n"
"      --snapshot                 the sockets that exist now, as events (like ss -tuanp,\n"
"                                 owners from the kernel; filters apply), then exit\n"
"      --metrics [ADDR]:PORT      serve Prometheus metrics at http://ADDR:PORT/metrics\n"
"                                 (localhost:9464; :9464 is every address); alone,\n"
"                                 no stream: with -j or --summary, those too\n"
"      --metrics-max-series N     series per metric, the rest as comm=\"other\"\n"
"                                 (default 1000)\n"
"      --metrics-labels LIST      what keys a series: comm,container,unit,pod\n"
"                                 (from the event's cgroup; default comm)\n"
"      --udp-idle SECONDS         a UDP flow idle this long ends; its next datagram\n"
"                                 is a new flow (default 60)\n"
"Backend:\n"
"  -b, --backend NAME             fentry, kprobe, tracepoint or auto (default)\n"
"      --probe                    show what each backend can do here, and exit\n"
"      --buffer-size BYTES        ring buffer size, a power of two >= 4K\n"
"                                 (K and M suffixes; default 4M)\n"
"Other:\n"
"  -v, --verbose                  say what is chosen, where the start-up's\n"
"                                 time went, and libbpf's messages\n"
"  -V, --version                  print the version and exit\n"
"  -h, --help                     print this help and exit\n"
"\n"
"Examples:\n"
"  socktrace                      every connect, accept and UDP flow\n"
"  socktrace -p 1234              only process 1234\n"
"  socktrace -P 443,8000-8080 -t  TCP on port 443 or 8000 to 8080\n"
"  socktrace -j -d 10 > out.json  ten seconds of JSON lines\n"
"  socktrace --fail               connects that fail, and why\n"
"  socktrace -e dns               the DNS answers processes receive\n"
"  socktrace -s -d 60             who talks to whom for a minute, per process\n"
"  socktrace --top                the busiest processes, live\n"
"  socktrace --snapshot -P 5432   who holds a connection to port 5432 now\n"
"  socktrace --metrics localhost:9464  a Prometheus exporter\n"
"  socktrace --probe              which backends work on this kernel\n";

static const char *const backend_names[ST_BACKEND_MAX] = {
	[ST_BACKEND_FENTRY] = "fentry",
	[ST_BACKEND_KPROBE] = "kprobe",
	[ST_BACKEND_TRACEPOINT] = "tracepoint",
};

const char *st_backend_name(int backend)
{
	if (backend >= 0 && backend < ST_BACKEND_MAX)
		return backend_names[backend];
	return "auto";
}

static const char *const by_names[] = { "pid", "comm", "unit", "container", "cgroup" };

const char *st_by_name(enum st_by by)
{
	return by_names[by];
}

int st_by_parse(const char *s, enum st_by *by)
{
	for (size_t i = 0; i < sizeof(by_names) / sizeof(by_names[0]); i++)
		if (!strcmp(s, by_names[i])) {
			*by = (enum st_by)i;
			return 0;
		}
	return -1;
}

enum { OPT_PROBE = 0x100, OPT_BUFFER_SIZE, OPT_FAIL, OPT_TOP, OPT_UDP_IDLE, OPT_STREAM,
       OPT_METRICS, OPT_METRICS_SERIES, OPT_METRICS_LABELS, OPT_SNAPSHOT, OPT_CGROUP, OPT_CONTAINER,
       OPT_BY, OPT_DNS, OPT_NAMES };

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

static int parse_backend(const char *s, int *out, char *err, size_t errlen)
{
	char q[ST_QUOTE_LEN];

	if (!strcmp(s, "auto")) {
		*out = ST_BACKEND_AUTO;
		return 0;
	}
	for (int b = 0; b < ST_BACKEND_MAX; b++) {
		if (!strcmp(s, backend_names[b])) {
			*out = b;
			return 0;
		}
	}
	snprintf(err, errlen, "unknown backend '%s': expected fentry, kprobe, tracepoint or auto",
		 st_quote(s, strlen(s), q, sizeof(q)));
	return -1;
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

enum st_cli_result st_cli_parse(int argc, char **argv, struct st_opts *o, FILE *out,
				char *err, size_t errlen)
{
	bool only_tcp = false, only_udp = false, only_v4 = false, only_v6 = false;
	bool seen[0x200] = { false };
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
		unsigned long long v;

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
		if (c >= 0 && c < (int)sizeof(seen)) {
			if (seen[c] && c != 'v' && c != OPT_CGROUP && c != OPT_CONTAINER) {	/* repeatable */
				snprintf(err, errlen, "option %s given twice",
					 opt_name(c, name, sizeof(name)));
				return ST_CLI_USAGE;
			}
			seen[c] = true;
		}
		switch (c) {
		case 'p':
			if (st_parse_pids(optarg, o->pids, ST_MAX_PIDS, &o->n_pids, err, errlen))
				return ST_CLI_USAGE;
			break;
		case 'P':
			if (st_parse_ports(optarg, o->ports, ST_MAX_PORTS, &o->n_ports, err, errlen))
				return ST_CLI_USAGE;
			break;
		case 't': only_tcp = true; break;
		case 'u': only_udp = true; break;
		case '4': only_v4 = true; break;
		case '6': only_v6 = true; break;
		case 'e':
			if (st_parse_events(optarg, &o->event_mask, err, errlen))
				return ST_CLI_USAGE;
			break;
		case 'c':
			if (!optarg[0] || strlen(optarg) > ST_COMM_LEN - 1) {
				snprintf(err, errlen, "invalid process name '%s': 1 to %d bytes",
					 st_quote(optarg, strlen(optarg), q, sizeof(q)),
					 ST_COMM_LEN - 1);
				return ST_CLI_USAGE;
			}
			snprintf(o->comm, sizeof(o->comm), "%s", optarg);
			break;
		case 'U':
			if (st_parse_uint(optarg, 0, 4294967294ULL, &v, "uid", err, errlen))
				return ST_CLI_USAGE;
			o->uid = (long long)v;
			break;
		case OPT_CGROUP:
		case OPT_CONTAINER:
			if (o->n_cgroup_args + o->n_container_args == ST_MAX_CGROUPS) {
				snprintf(err, errlen, "too many --cgroup and --container: at most %d",
					 ST_MAX_CGROUPS);
				return ST_CLI_USAGE;
			}
			if (!optarg[0] || strlen(optarg) > 4095 ||
			    (c == OPT_CONTAINER && strspn(optarg, "0123456789abcdef") != strlen(optarg)) ||
			    (c == OPT_CONTAINER && strlen(optarg) > 64)) {
				snprintf(err, errlen, c == OPT_CGROUP ?
					 "invalid cgroup '%s': a path of 1 to 4095 bytes" :
					 "invalid container id '%s': 1 to 64 lowercase hex digits",
					 st_quote(optarg, strlen(optarg), q, sizeof(q)));
				return ST_CLI_USAGE;
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
				return ST_CLI_USAGE;
			break;
		case OPT_TOP: o->top = true; break;
		case OPT_SNAPSHOT: o->snapshot = true; break;
		case OPT_STREAM: o->stream = true; break;
		case OPT_BY: {
			enum st_by by;

			if (st_by_parse(optarg, &by)) {
				snprintf(err, errlen, "invalid --by '%s': pid, comm, unit, container "
					 "or cgroup", st_quote(optarg, strlen(optarg), q, sizeof(q)));
				return ST_CLI_USAGE;
			}
			o->by = (int)by;
			break;
		}
		case OPT_UDP_IDLE:
			if (st_parse_uint(optarg, 1, 86400, &o->udp_idle_s, "udp idle time", err,
					  errlen))
				return ST_CLI_USAGE;
			break;
		case OPT_METRICS:
			if (st_parse_listen(optarg, &o->metrics_addr, err, errlen))
				return ST_CLI_USAGE;
			o->metrics = true;
			break;
		case OPT_METRICS_SERIES:
			if (st_parse_uint(optarg, 1, ST_METRICS_MAX_SERIES, &o->metrics_max_series,
					  "metrics series limit", err, errlen))
				return ST_CLI_USAGE;
			break;
		case OPT_METRICS_LABELS:
			if (st_mlabels_parse(optarg, &o->metrics_labels, err, errlen))
				return ST_CLI_USAGE;
			break;
		case 'j': o->json = true; break;
		case 'H': o->no_header = true; break;
		case 'd':
			if (st_parse_uint(optarg, 1, 31536000, &o->duration_s, "duration", err,
					  errlen))
				return ST_CLI_USAGE;
			break;
		case 'b':
			if (parse_backend(optarg, &o->backend, err, errlen))
				return ST_CLI_USAGE;
			break;
		case OPT_PROBE: o->probe = true; break;
		case OPT_BUFFER_SIZE:
			if (st_parse_size(optarg, &v, err, errlen))
				return ST_CLI_USAGE;
			if (v < 4096 || v > (1ULL << 30) || (v & (v - 1))) {
				snprintf(err, errlen,
					 "invalid buffer size '%s': must be a power of two from 4K to 1024M",
					 st_quote(optarg, strlen(optarg), q, sizeof(q)));
				return ST_CLI_USAGE;
			}
			o->buffer_size = v;
			break;
		case 'v': o->verbose = true; break;
		case 'V':
			/* printed by the caller (version.c): it needs libbpf */
			o->version = true;
			return ST_CLI_EXIT;
		case 'h': {
			char kinds[128];

			st_event_names(kinds, sizeof(kinds), ",", ",");
			fprintf(out, "%s%s\n%s", usage_head, kinds, usage_tail);
			return ST_CLI_EXIT;
		}
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s' (see --help)",
			 st_quote(argv[optind], strlen(argv[optind]), q, sizeof(q)));
		return ST_CLI_USAGE;
	}
	if (only_tcp && only_udp) {
		snprintf(err, errlen, "--tcp and --udp together select nothing: give one or neither");
		return ST_CLI_USAGE;
	}
	if (only_v4 && only_v6) {
		snprintf(err, errlen, "-4 and -6 together select nothing: give one or neither");
		return ST_CLI_USAGE;
	}
	o->tcp = !only_udp;
	o->udp = !only_tcp;
	o->v4 = !only_v6;
	o->v6 = !only_v4;
	if (seen['e'] && seen[OPT_FAIL]) {
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
	if (seen[OPT_BY] && !o->summary) {
		snprintf(err, errlen, "--by goes with --summary");
		return ST_CLI_USAGE;
	}
	if (o->stream && !o->summary) {
		snprintf(err, errlen, "--stream goes with --summary (the stream is on by default)");
		return ST_CLI_USAGE;
	}
	if ((seen[OPT_METRICS_SERIES] || seen[OPT_METRICS_LABELS]) && !o->metrics) {
		snprintf(err, errlen, "%s goes with --metrics",
			 seen[OPT_METRICS_SERIES] ? "--metrics-max-series" : "--metrics-labels");
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

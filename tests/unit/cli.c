// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: the command line, bad lines word for word and good ones parsed. */
#include "cli.h"
#include "metrics.h"
#include "unit.h"

/* run the command line parser on a string of words */
static enum st_cli_result cli(const char *line, struct st_opts *o, char *err, size_t len)
{
	char buf[512], *argv[32];
	int argc = 0;
	FILE *devnull = fopen("/dev/null", "w");
	enum st_cli_result r;

	snprintf(buf, sizeof(buf), "socktrace %s", line);
	for (char *tok = strtok(buf, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	r = st_cli_parse(argc, argv, o, devnull, err, len);
	fclose(devnull);
	return r;
}

void test_cli(void)
{
	static const struct {
		const char *args;
		const char *err;
	} bad[] = {
		{ "--port 70000", "invalid port '70000': must be 1-65535" },
		{ "-p abc", "invalid pid 'abc': not a decimal number" },
		{ "--pid", "option '--pid' needs a value (see --help)" },
		{ "--bogus", "unknown option '--bogus' (see --help)" },
		{ "-x", "unknown option '-x' (see --help)" },
		{ "-t -u", "--tcp and --udp together select nothing: give one or neither" },
		{ "-4 -6", "-4 and -6 together select nothing: give one or neither" },
		{ "-p 1 -p 2", "option --pid given twice" },
		{ "--backend bpf", "unknown backend 'bpf': expected fentry, kprobe, tracepoint or auto" },
		{ "-d 0", "invalid duration '0': must be 1-31536000" },
		{ "--buffer-size 5000", "invalid buffer size '5000': must be a power of two from 4K to 1024M" },
		{ "extra", "unexpected argument 'extra' (see --help)" },
		{ "-u -e connect", "--udp with --events lacking udp selects nothing" },
		{ "--probe -p 1", "--probe takes no filter or output option" },
		{ "--fail -e connect", "--fail and --events together: give one" },
		{ "--top --json", "--top is a view of its own: not with --summary or --json" },
		{ "-c 0123456789abcdef", "invalid process name '0123456789abcdef': 1 to 15 bytes" },
		{ "-U -1", "invalid uid '-1': not a decimal number" },
		{ "--summary=0", "invalid summary interval '0': must be 1-86400" },
		{ "--udp-idle 0", "invalid udp idle time '0': must be 1-86400" },
		{ "--metrics-labels comm", "--metrics-labels goes with --metrics" },
		{ "--metrics :9 --metrics-labels comm,pid",
		  "unknown metrics label 'pid': expected a list of comm, container, unit and pod" },
	};
	struct st_opts o;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(cli(bad[i].args, &o, err, sizeof(err)) == ST_CLI_USAGE, "'%s' accepted",
		      bad[i].args);
		CHECK_STR(err, bad[i].err);
	}
	CHECK(cli("--metrics :9", &o, err, sizeof(err)) == ST_CLI_RUN &&
	      o.metrics_labels == ST_ML_DEFAULT, "metrics labels: comm by default");
	CHECK(cli("--metrics :9 --metrics-labels unit,comm", &o, err, sizeof(err)) == ST_CLI_RUN &&
	      o.metrics_labels == (ST_ML_BIT(ST_ML_UNIT) | ST_ML_BIT(ST_ML_COMM)), "unit,comm: %s", err);
	CHECK(cli("-p 10,20 -P 443 -t -6 -j -d 5 -b tracepoint --buffer-size 64K", &o, err,
		  sizeof(err)) == ST_CLI_RUN, "good line: %s", err);
	CHECK(o.n_pids == 2 && o.pids[1] == 20 && o.n_ports == 1 && o.tcp && !o.udp && !o.v4 &&
	      o.v6 && o.json && o.duration_s == 5 && o.backend == ST_BACKEND_TRACEPOINT &&
	      o.buffer_size == 65536, "good line parsed");
	CHECK(cli("", &o, err, sizeof(err)) == ST_CLI_RUN && o.backend == ST_BACKEND_AUTO &&
	      o.tcp && o.udp && o.v4 && o.v6 && o.event_mask == 0x7e && o.uid == -1 &&
	      o.udp_idle_s == 60 && !o.summary && !o.top, "defaults");
	CHECK(cli("-s5 -c nginx -U 33", &o, err, sizeof(err)) == ST_CLI_RUN && o.summary &&
	      o.summary_every_s == 5 && !strcmp(o.comm, "nginx") && o.uid == 33, "-s5 -c -U: %s", err);
	CHECK(cli("--summary --fail", &o, err, sizeof(err)) == ST_CLI_RUN && o.summary &&
	      !o.summary_every_s && o.event_mask == ST_EV_BIT(ST_EV_FAIL), "--summary --fail");
	CHECK(cli("--help", &o, err, sizeof(err)) == ST_CLI_EXIT, "--help");
	CHECK(cli("-V", &o, err, sizeof(err)) == ST_CLI_EXIT && o.version, "-V");
	CHECK(cli("--help", &o, err, sizeof(err)) == ST_CLI_EXIT && !o.version, "--help: no version");
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Inside the command line's parser (cli.c, which reads each option's value):
 * the long options' getopt values, what the scan saw, and the parts in files
 * of their own: the help (cli_usage.c), the names of backends and of
 * groupings (cli_names.c), how the options go together once all are read
 * (cli_combine.c).
 */
#ifndef SOCKTRACE_CLI_INT_H
#define SOCKTRACE_CLI_INT_H

#include <stdbool.h>
#include <stdio.h>
#include "cli.h"

enum { OPT_PROBE = 0x100, OPT_BUFFER_SIZE, OPT_FAIL, OPT_TOP, OPT_UDP_IDLE, OPT_STREAM,
       OPT_METRICS, OPT_METRICS_SERIES, OPT_METRICS_LABELS, OPT_SNAPSHOT, OPT_CGROUP, OPT_CONTAINER,
       OPT_BY, OPT_DNS, OPT_NAMES };

/* what the scan saw: each option by its getopt value, and the choices only known together */
struct st_cli_seen {
	bool opt[0x200];
	bool only_tcp, only_udp, only_v4, only_v6;
};

/* the help, with the event kinds' names, to out */
void st_cli_usage(FILE *out);
/* a --backend name to its enum st_backend or ST_BACKEND_AUTO: 0, or -1 with err */
int st_backend_parse(const char *s, int *out, char *err, size_t errlen);
/* once every option is read: the ones that go together, and the defaults they set */
enum st_cli_result st_cli_combine(struct st_opts *o, const struct st_cli_seen *s, char *err,
				  size_t errlen);

#endif

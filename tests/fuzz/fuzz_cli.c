// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: the command line. The input is split at NUL bytes into argv
 * words. Whatever they are, the parser must return one of its three results,
 * with a one-line message for a usage error, and never crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static FILE *devnull;
	char *buf = malloc(size + 1), *argv[34], err[512];
	struct st_opts o;
	int argc = 0;
	size_t start = 0;
	enum st_cli_result r;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "socktrace";
	for (size_t i = 0; i <= size && argc < 33; i++) {
		if (i == size || buf[i] == '\0') {
			buf[i] = '\0';
			argv[argc++] = buf + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;
	r = st_cli_parse(argc, argv, &o, devnull, err, sizeof(err));
	if (r != ST_CLI_RUN && r != ST_CLI_EXIT && r != ST_CLI_USAGE)
		abort();
	if (r == ST_CLI_USAGE && (!err[0] || strchr(err, '\n')))
		abort();	/* a usage error is one non-empty line */
	if (r == ST_CLI_RUN && (o.n_pids > ST_MAX_PIDS || o.n_ports > ST_MAX_PORTS))
		abort();
	free(buf);
	return 0;
}

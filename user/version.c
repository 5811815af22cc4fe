// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --version, three lines:
 *   socktrace 0.1.0
 *   libbpf 1.1          the libbpf this binary runs with (the shared library
 *                       loaded now, or the one linked in with STATIC=1)
 *   backends: fentry kprobe tracepoint   the backends in this build's BPF object
 */
#include <bpf/libbpf.h>
#include "cli.h"
#include "version.h"

void st_print_version(FILE *out)
{
	fprintf(out, "socktrace %s\n", SOCKTRACE_VERSION);
	fprintf(out, "libbpf %u.%u\n", libbpf_major_version(), libbpf_minor_version());
	fprintf(out, "backends:");
	for (int b = 0; b < ST_BACKEND_MAX; b++)
		fprintf(out, " %s", st_backend_name(b));
	fprintf(out, "\n");
}

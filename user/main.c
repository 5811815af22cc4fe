// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * socktrace: TCP and UDP sockets as they open, listen, fail and close, live,
 * with their processes (every kind: event_kinds.c).
 *
 * main() reads top to bottom: parse the command line, check privilege and
 * BTF, pick and start a backend, then run the pipeline (pipeline.h) on the
 * event loop until Ctrl-C, SIGTERM or --duration, report, and tear down.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "backend.h"
#include "cgroup_filter.h"
#include "cgroup_names.h"
#include "cgroup_seed.h"
#include "cli.h"
#include "exit_report.h"
#include "exporter.h"
#include "loop.h"
#include "pipeline.h"
#include "preflight.h"
#include "run.h"
#include "source_ringbuf.h"
#include "snapshot_report.h"
#include "source_snapshot.h"
#include "start_marks.h"
#include "test_seam.h"
#include "timers.h"
#include "top.h"
#include "version.h"

static int on_stop_signal(void *ctx)
{
	(void)ctx;
	return ST_LOOP_STOP;
}

int main(int argc, char **argv)
{
	static const int stop_signals[] = { SIGINT, SIGTERM };
	struct st_run run = {};
	struct st_opts o;
	char why[512];
	int err = 1;

	/* parse the command line, and the test seam's environment */
	switch (st_cli_parse(argc, argv, &o, stdout, why, sizeof(why))) {
	case ST_CLI_EXIT:
		if (o.version)
			st_print_version(stdout);
		return 0;
	case ST_CLI_USAGE:
		fprintf(stderr, "socktrace: %s\n", why);
		return 2;
	case ST_CLI_RUN:
		break;
	}
	if (st_test_seam_read(&o, why, sizeof(why))) {
		fprintf(stderr, "socktrace: %s\n", why);
		return 2;
	}
	run.o = &o;
	st_start_mark("main");

	/* privilege, BTF and the terminal, before touching the kernel */
	if (st_preflight(&o))
		return 1;
	if (o.probe) {
		return st_backend_report(stdout, &o) ? 1 : 0;
	}

	/* the cgroup2 mount, to name each event's cgroup */
	run.cgroups = st_cgroups_open("/proc/self/mountinfo", NULL, ST_CG_CACHE, why, sizeof(why));
	if (!run.cgroups)
		fprintf(stderr, "socktrace: %s: events carry no cgroup_path\n", why);
	/* --cgroup and --container: their subtrees, for the kernel's filter */
	if (st_cgroup_filter_open(&o, run.cgroups, why, sizeof(why))) {
		fprintf(stderr, "socktrace: %s\n", why);
		st_cg_seed_free(run.cg_seed);
	st_cgroups_close(run.cgroups);
		return 1;
	}

	/* Ctrl-C and SIGTERM end the loop, also while loading; a closed pipe ends it too */
	signal(SIGPIPE, SIG_IGN);
	run.loop = st_loop_new();
	if (!run.loop || st_loop_add_signals(run.loop, stop_signals, 2, on_stop_signal, NULL)) {
		fprintf(stderr, "socktrace: can't set up the event loop: %s\n", strerror(errno));
		goto cleanup;
	}

	/* open, configure, load and attach the backend */
	if (st_backend_start(&o, &run.skel, &run.backend, why, sizeof(why))) {
		fprintf(stderr, "socktrace: %s\n", why);
		goto cleanup;
	}
	/* loading parsed the kernel's BTF (megabytes): give that memory back */
	malloc_trim(0);

	/* the pipeline: its source, its outputs, its timers */
	run.sink = st_pipeline_event;
	if (st_pipeline_conns_open(&run) || st_pipeline_local_peers_open(&run) ||
	    st_pipeline_names_open(&run) || st_ringbuf_open(&run))
		goto cleanup;
	st_pipeline_start(&run);
	if (st_pipeline_watch_output(&run))
		goto cleanup;
	/* what exists already, now that every live hook is attached */
	if (st_snapshot_run(&run))
		goto cleanup;
	st_start_mark("snapshot");
	if (o.snapshot) {
		st_snapshot_report(stderr, &run.snap);
		err = 0;
		goto cleanup;
	}
	if (o.metrics && st_exporter_start(&run))
		goto cleanup;
	st_test_seam_announce(&o);
	/* before the line that says tracing has begun: a reader of it sees this too */
	if (o.udp && run.backend == ST_BACKEND_TRACEPOINT && !st_kernel_has_recv_length())
		fprintf(stderr, "socktrace: received UDP is not seen: the tracepoint backend needs "
			"sock:sock_recv_length (Linux 6.3); udp events are sent flows only\n");
	if (o.verbose)
		st_start_report(stderr);
	fprintf(stderr, "socktrace: tracing with the %s backend%s\n", st_backend_name(run.backend),
		o.duration_s ? "" : ", Ctrl-C to stop");
	if (st_timers_start(&run))
		goto cleanup;
	/* the claims that made each open reported once are no longer needed */
	st_snapshot_forget(&run);

	/* until a signal, --duration or a closed output; a read error skips the report */
	if (st_loop_run(run.loop) < 0)
		goto cleanup;
	st_ringbuf_drain(&run);	/* what is still in the buffer, before the last summary */
	st_pipeline_finish(&run);
	st_exit_report(&run);
	st_snapshot_report(stderr, &run.snap);
	err = 0;

cleanup:
	st_top_end(run.top);
	st_exporter_stop(&run);
	st_ringbuf_close(&run);
	st_pipeline_free(&run);
	st_loop_free(run.loop);
	st_backend_unload(run.skel);
	st_cgroup_filter_close(&o);
	st_cg_seed_free(run.cg_seed);
	st_cgroups_close(run.cgroups);
	return err;
}

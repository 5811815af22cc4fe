/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: socktrace under test. It runs with its stdout and stderr in files
 * of the scenario's directory, so that what it printed can be read at any
 * time, also by the runner after a scenario ran out of time.
 */
#ifndef ST_LIVE_TRACER_H
#define ST_LIVE_TRACER_H

#include <stddef.h>
#include <sys/types.h>

struct tracer {
	pid_t pid;
	char out[320], err[320];
};

/* fork and exec argv with stdout and stderr to DIR/socktrace.N.{out,err} */
void tracer_spawn(struct tracer *t, const char *dir, char **argv);
/* tracer_spawn, then wait until it says it is tracing: 0, or -1 with why */
int tracer_start(struct tracer *t, const char *dir, char **argv, char *why, size_t len);
/* SIGINT, and it must exit 0: 0, or -1 with why */
int tracer_stop(struct tracer *t, char *why, size_t len);
/* kill it if it still runs, and remove its files */
void tracer_cleanup(struct tracer *t);

/* after a mismatch: socktrace's own "socktrace: " lines (drops, skipped runs) appended to why */
void tracer_reports(const struct tracer *t, char *why, size_t len);
/* the number (%llu) of the first stderr line that fmt matches, the whole of fmt, or -1 */
long long tracer_said(const struct tracer *t, const char *fmt);

#endif

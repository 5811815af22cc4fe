/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: running scenarios under their time limits. Each attempt runs in a
 * child that leads a process group of its own (socktrace and the actors come
 * with it), with a scratch directory for its files; when the limit runs out
 * the whole group is killed, what it had printed is shown, and the attempt
 * fails with "timeout after N s (limit M s)".
 */
#ifndef ST_LIVE_RUNNER_H
#define ST_LIVE_RUNNER_H

#include <stddef.h>
#include "scenario.h"

struct runner {
	struct run_opts run;
	const char *tmpdir;	/* where scratch directories go */
	const char *hang;	/* NULL, or the scenario that blocks once socktrace traces */
	double slowdown;	/* every limit times this */
	int retries;		/* a failed scenario is tried this many times more */
};

/* take in the processes a killed scenario leaves, and pass on SIGINT/SIGTERM to it */
void runner_init(void);
/* run sc with its retries, print "RETRY"/"PASS"/"FAIL" lines: 0 if it passed */
int runner_run(const struct runner *r, const struct scenario *sc);
/* a fresh scratch directory under tmpdir (dies if it can't), and its removal */
#define WORKDIR_LEN	256	/* room for its name */
void workdir_make(const char *tmpdir, const char *name, char *dir, size_t len);
void workdir_remove(const char *dir);

#endif

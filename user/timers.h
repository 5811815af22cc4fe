/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The four timers of a run, on the event loop: the sweep of idle UDP flows,
 * --summary=SECONDS, --top's frame every second (its screen taken over here)
 * and the end of --duration.
 */
#ifndef ST_TIMERS_H
#define ST_TIMERS_H

#include "run.h"

/* 0, or -1 (said on stderr) */
int st_timers_start(struct st_run *r);

#endif

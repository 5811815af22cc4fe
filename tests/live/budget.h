/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: time. Each scenario has a limit sized from what it does; a slow
 * machine (an emulated CPU) multiplies every limit by a slowdown factor,
 * given or measured with a fixed CPU loop against a reference machine's time.
 */
#ifndef ST_LIVE_BUDGET_H
#define ST_LIVE_BUDGET_H

#include "scenario.h"

/* seconds sc may take on a quiet native machine: its .limit_s, or from its durations */
unsigned scenario_limit_s(const struct scenario *sc);
/* that limit times slowdown, in whole seconds (rounded up) */
unsigned scaled_limit_s(const struct scenario *sc, double slowdown);
/* what a run of the selected scenarios may take, retries included, with a margin */
unsigned long budget_s(const struct scenario *const *sel, int n, double slowdown, int retries);

/* nanoseconds a fixed loop of the scenarios' kind of work took here (about
 * 100 ms on a quiet native machine) */
long long calibrate_ns(void);

#endif

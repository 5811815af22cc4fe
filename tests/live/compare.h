/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: what socktrace reported against what the actors did. */
#ifndef ST_LIVE_COMPARE_H
#define ST_LIVE_COMPARE_H

#include <stddef.h>
#include "ev.h"
#include "scenario.h"

/* exactly the expected events, each once: 0, or -1 with what is missing and extra */
int compare(const struct evset *exp, const struct evset *got, char *why, size_t len);

/*
 * The overload scenario: socktrace's --json --summary output (out) and its
 * stderr (err, with the "N events, N dropped" line); what it delivered goes
 * into got. 0, or -1 with why.
 */
int check_overload(const struct scenario *sc, const struct actor_run *run, const char *out,
		   const char *err, unsigned long long netns, long long t0, long long t1,
		   const struct evset *exp, struct evset *got, char *why, size_t len);

#endif

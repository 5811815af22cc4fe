/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: --summary, the rows of the actors checked against what they did. */
#ifndef ST_LIVE_SUMMARY_H
#define ST_LIVE_SUMMARY_H

#include <stddef.h>
#include "ev.h"
#include "scenario.h"

/*
 * Every line of text must be a strict JSON summary row; each actor's pid has
 * exactly one, whose counts follow from exp and the actors' datagrams; its
 * open connections from fed, the events socktrace delivered (exp, unless some
 * were dropped). 0, or -1 with why.
 */
int check_summary(const struct scenario *sc, const struct actor_run *run, const char *text,
		  const struct evset *exp, const struct evset *fed, char *why, size_t len);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: socktrace's output, read back into events. */
#ifndef ST_LIVE_PARSE_H
#define ST_LIVE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "ev.h"

/*
 * --json: every line must be strict JSON with the keys in order, and each
 * line of network namespace netns (or netns2, unless 0) have its ts within
 * [t0, t1]; those lines go into got. Each line's tid must be its pid (the actors are single threads),
 * unless any_tid (io_uring requests run in worker threads of the process).
 * 0, or -1 with why.
 */
int parse_json(const char *text, unsigned long long netns, unsigned long long netns2,
	       long long t0, long long t1, bool any_tid, struct evset *got, char *why, size_t len);
/*
 * The text stream, "HH:MM:SS.mmm PID COMM EVENT PROTO LOCAL REMOTE": the lines
 * of the pids in exp go into got, names unescaped. 0, or -1 with why.
 */
int parse_text(const char *text, const struct evset *exp, struct evset *got, char *why, size_t len);

#endif

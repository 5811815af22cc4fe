/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one table of event kinds (enum st_event_type in include/socktrace.h)
 * and their names, as the printers write them and --events reads them. A new
 * kind is a line in event_kinds.c, plus what its printers say about it.
 */
#ifndef ST_EVENT_KINDS_H
#define ST_EVENT_KINDS_H

#include <stddef.h>
#include <linux/types.h>
#include "socktrace.h"

struct st_event_kind {
	unsigned int type;	/* enum st_event_type */
	const char *name;	/* "connect": in text, JSON and --events */
};

/* every kind, in the order of enum st_event_type */
extern const struct st_event_kind st_event_kinds[];
extern const size_t st_n_event_kinds;

/* The name of an event type ("connect"), or "?" */
const char *st_event_name(unsigned int type);

/* The type named by s[0..len), or 0 if none is */
unsigned int st_event_type(const char *s, size_t len);

/* The names, joined: with ", " and " or ": "connect, accept, ... or listen" */
void st_event_names(char *buf, size_t len, const char *sep, const char *last_sep);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: the dns events and rname keys of socktrace's JSON lines (parse_dns.c). */
#ifndef ST_LIVE_PARSE_DNS_H
#define ST_LIVE_PARSE_DNS_H

#include <stddef.h>
#include "../jsonl.h"
#include "ev.h"

/*
 * An "rname" member at index at of o (after rport) into e->rname, and taken
 * out of o, so that the keys after it are where they are without it. 0 (also
 * when there is none), or -1 if it is not a non-empty name.
 */
int take_rname(struct jl_object *o, int at, struct ev *e);

/*
 * A dns line into e: 1 if it is of network namespace netns and well formed,
 * its keys in order and its ts within [t0, t1]; 0 if it is not ours (another
 * namespace, or no asker: the query was not seen); -1 with why.
 */
int parse_dns(const struct jl_object *o, unsigned long long netns, long long t0, long long t1,
	      struct ev *e, char *why, size_t len);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The enricher that names remote addresses: what the DNS answers said, as
 * address -> the name the process asked for (the question's name: the parser
 * has already followed the CNAME chain back to it). Keyed by network
 * namespace, family and address, so one namespace's answers never name
 * another's connections. The newest answer for an address wins.
 *
 * Kept for the record's TTL (at least ST_NAMES_MIN_TTL seconds, so a TTL of 0
 * still names the connect that follows it), then forgotten; except that a TCP
 * connect that uses a name pins it until a close or failure to that address
 * (a count per entry: simple, bounded, and at worst an entry is let go one
 * connection early), and a UDP flow that uses one renews its TTL.
 *
 * Bounded: at most cap entries; a full cache drops the entry that would
 * expire first (an unpinned one first), counted in evictions. The clock is
 * the caller's (CLOCK_MONOTONIC nanoseconds, as the events carry), so tests
 * can drive it.
 */
#ifndef ST_DNS_CACHE_H
#define ST_DNS_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "socktrace.h"

#define ST_NAMES_MAX		8192	/* addresses named at once */
#define ST_NAMES_MIN_TTL	2	/* seconds an answer is kept at least */

struct st_dns_msg;
struct st_dns_cache;

struct st_dns_cache_stats {
	unsigned long long inserted;	/* addresses named (new or renamed) */
	unsigned long long evictions;	/* live entries dropped for room */
	unsigned long long no_netns;	/* answers whose query was not seen: no namespace */
};

/* cap entries at most (0: ST_NAMES_MAX); NULL when out of memory */
struct st_dns_cache *st_dns_cache_new(size_t cap);
void st_dns_cache_free(struct st_dns_cache *c);

/*
 * One parsed answer, received in network namespace netns (inode number; 0:
 * not known, the answer is not kept) at now_ns: each of its addresses named
 * m->qname until its TTL runs out. An answer with an rcode or no question
 * changes nothing.
 */
void st_dns_cache_answer(struct st_dns_cache *c, __u32 netns, const struct st_dns_msg *m,
			 __u64 now_ns);

/*
 * The name of addr (family 4 or 6; network byte order, IPv4 in the first 4
 * bytes) in netns at now_ns, or NULL. Valid until the next call.
 */
const char *st_dns_cache_lookup(struct st_dns_cache *c, __u32 netns, __u8 family,
				const __u8 addr[16], __u64 now_ns);

/*
 * An event's remote name, or NULL, with its use recorded: a TCP connect pins
 * the entry (when closes is true: the caller sees the closes that unpin it),
 * a close or failure unpins it, a UDP flow renews it. Valid until the next call.
 */
const char *st_dns_cache_event(struct st_dns_cache *c, const struct st_event *e, bool closes);

void st_dns_cache_stats(const struct st_dns_cache *c, struct st_dns_cache_stats *s);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The name each process's events carried for a remote address (rname, from
 * the DNS answers: dns_cache.h), kept for the whole run: the busiest peers
 * of --summary and --top's detail view show it, however long ago the
 * answer's TTL ran out. Keyed by pid, family and address (no port: the
 * kernel's peers map counts accepted clients by address alone); the newest
 * name wins.
 *
 * Bounded: at most cap (pid, address) pairs for the run (ST_PEER_NAMES_MAX
 * by default); a name with no room is not kept, counted in
 * st_peer_names_unkept().
 */
#ifndef ST_PEER_NAMES_H
#define ST_PEER_NAMES_H

#include <stddef.h>
#include <linux/types.h>

#define ST_PEER_NAMES_MAX	4096

struct st_peer_names;

/* cap pairs at most (0: ST_PEER_NAMES_MAX); NULL when out of memory */
struct st_peer_names *st_peer_names_new(size_t cap);
void st_peer_names_free(struct st_peer_names *t);

/* pid's events to addr (family 4 or 6, network byte order, IPv4 in the
 * first 4 bytes) carried name; t NULL: nothing */
void st_peer_names_note(struct st_peer_names *t, __u32 pid, __u8 family, const __u8 addr[16],
			const char *name);

/* the name noted last for pid and addr, or NULL */
const char *st_peer_names_get(const struct st_peer_names *t, __u32 pid, __u8 family,
			      const __u8 addr[16]);

/* the name of addr over all processes: the one their events carried, or NULL
 * when none did or two processes' names differ (a scan of the pairs) */
const char *st_peer_names_any(const struct st_peer_names *t, __u8 family, const __u8 addr[16]);

unsigned long long st_peer_names_unkept(const struct st_peer_names *t);

#endif

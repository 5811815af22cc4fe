/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the metrics take from the kernel's process table (proc_stats) rather
 * than from events: UDP datagrams and their bytes, which have no event each.
 *
 * The kernel's counters are per pid and its table evicts the least recently
 * updated process when full, so a sum read from it could go down. Instead
 * every read adds to each process name's series what its pids counted since
 * the last read (kept per pid here); a pid gone from the table leaves its
 * sums behind, and counters never decrease. What an evicted pid counted
 * after the last read is lost: reads come every second; the evictions (the
 * loader deletes no entry, so a pid gone is an eviction) are counted, and so
 * are the processes evicted before any read saw them (the kernel counts the
 * entries it makes). An LRU map may evict before it is full: it keeps free
 * entries per CPU.
 */
#ifndef ST_METRICS_PROCS_H
#define ST_METRICS_PROCS_H

#include <stddef.h>
#include <linux/types.h>
#include "metrics.h"

struct st_mproc;		/* one pid's counts at the last read */

struct st_mprocs {
	struct st_mproc *slots;	/* open addressing by pid, cap a power of two */
	size_t cap, n;
	unsigned gen;		/* read number: a slot not seen in this read is gone */
	__u64 evicted;		/* pids that left the kernel's table (only evictions remove one) */
	__u64 tracked;		/* pids first seen (or seen anew after a reuse) */
};

/* processes the kernel's table held that no read saw (created: the kernel's count) */
__u64 st_mprocs_unread(const struct st_mprocs *p, __u64 created);

/* cap_pids: the kernel table's size. 0 or -ENOMEM */
int st_mprocs_init(struct st_mprocs *p, size_t cap_pids);
void st_mprocs_free(struct st_mprocs *p);

/* one pid's counters as read now; call st_mprocs_end() after the last */
void st_mprocs_seen(struct st_mprocs *p, struct st_metrics *m, __u32 pid,
		    const struct st_proc_stats *s);
/* the read is over: forget the pids not seen, counted as evicted */
void st_mprocs_end(struct st_mprocs *p);

#endif

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * How big the snapshot's maps are made. A hash map without preallocation
 * still allocates a bucket per entry it may hold, at creation: at 524,288
 * entries that is 8 MB zeroed, about 10 ms on the machine of
 * bench/TARGETS.md, each, for a snapshot that on most machines finds a few
 * hundred sockets. A socket some process holds is an open file, and the
 * kernel counts the open files of every namespace together
 * (/proc/sys/fs/file-nr's first number, read without locks: it may lag by a
 * little), so that count bounds sock_holders; snap_claims holds those
 * sockets' claims and those of the connections opened while the snapshot
 * runs, twice as many. Each is a power of two (the kernel rounds the
 * buckets up to one anyway), at least MIN_* and at most MAX_*. A socket left
 * out because a map was full is still counted and reported at exit
 * (holders_full, snapshot_full).
 *
 * tcp_owners holds an owner for every connection open at once, those the
 * snapshot finds included (each end of a loopback connection is one):
 * 65,536 (the size it always had, for what opens after the start), or as
 * many as the open files, with the same margin, on a machine that has more;
 * preallocated, about 150 bytes each, so at most 1,048,576 (150 MB). An
 * open that finds it full is counted and reported at exit (owners_full).
 */
#include <stdio.h>
#include "snapshot_sizes.h"

#define MIN_HOLDERS	(1U << 14)
#define MIN_CLAIMS	(1U << 16)	/* a storm's opens during a short snapshot */
#define MIN_OWNERS	(1U << 16)
#define MAX_OWNERS	(1U << 20)
#define MAX_ENTRIES	(1U << 22)	/* 4,194,304: 64 MB of buckets */
#define DEFAULT_FILES	(1ULL << 18)	/* when the count can't be read */

static __u32 pow2_within(unsigned long long want, __u32 min, __u32 max)
{
	__u32 n = min;

	while (n < want && n < max)
		n <<= 1;
	return n;
}

void st_snapshot_sizes(const char *file_nr, struct st_snapshot_sizes *z)
{
	unsigned long long files = DEFAULT_FILES;
	FILE *f = fopen(file_nr, "re");

	if (f) {
		if (fscanf(f, "%llu", &files) != 1)
			files = DEFAULT_FILES;
		fclose(f);
	}
	/* a margin for the count's lag and for what opens meanwhile */
	files += files / 4 + 4096;
	z->holders = pow2_within(files, MIN_HOLDERS, MAX_ENTRIES);
	z->claims = pow2_within(2 * files, MIN_CLAIMS, MAX_ENTRIES);
	z->owners = pow2_within(files, MIN_OWNERS, MAX_OWNERS);
}

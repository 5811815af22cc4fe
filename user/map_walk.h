/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one map walker: every element of a hash map, read in batches
 * (BPF_MAP_LOOKUP_BATCH, Linux 5.6 and later, for hash and LRU hash maps),
 * or one key at a time where the kernel has no batch lookup.
 */
#ifndef ST_MAP_WALK_H
#define ST_MAP_WALK_H

#include <stddef.h>

/* called for each element; nonzero stops the walk */
typedef int (*st_map_fn)(const void *key, const void *value, void *ctx);

/* 0 (also when fn stopped it) or -errno */
int st_map_walk(int fd, size_t key_size, size_t value_size, st_map_fn fn, void *ctx);

#endif

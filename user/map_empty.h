/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Emptying a hash map from user space, in one pass over its keys. */
#ifndef ST_MAP_EMPTY_H
#define ST_MAP_EMPTY_H

#include <stddef.h>

/* delete every element of hash map fd (keys of key_size bytes, at most 64):
 * how many were deleted, or -errno when a key could not be read or deleted */
long long st_map_empty(int fd, size_t key_size);

#endif

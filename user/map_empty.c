// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Each key is deleted once the key after it is known: the walk goes on from
 * a key that still exists, so it passes each bucket once (a walk restarted
 * from the first key after each delete would scan the emptied buckets again
 * and again). An element added behind the walk stays: the caller makes sure
 * none is added any more.
 */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include "map_empty.h"

#define MAX_KEY 64

long long st_map_empty(int fd, size_t key_size)
{
	unsigned char key[MAX_KEY], next[MAX_KEY];
	long long n = 0;
	int more, why;

	if (key_size == 0 || key_size > MAX_KEY)
		return -EINVAL;
	more = bpf_map_get_next_key(fd, NULL, key) == 0;
	why = more ? 0 : errno;
	while (more) {
		more = bpf_map_get_next_key(fd, key, next) == 0;
		why = more ? 0 : errno;
		if (bpf_map_delete_elem(fd, key) && errno != ENOENT)
			return -errno;
		n++;
		memcpy(key, next, key_size);
	}
	return why == ENOENT ? n : -why;	/* ENOENT: no key after the last */
}

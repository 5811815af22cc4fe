// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "map_walk.h"

#define BATCH		256	/* elements per lookup; grown when one bucket holds more */
#define ENOTSUPP	524	/* the kernel's own: the map type has no batch operations */

enum { WALK_DONE, WALK_NO_BATCH };

/* the batch walk; WALK_NO_BATCH if the kernel has none for this map, else 0 or -errno */
static int walk_batched(int fd, size_t key_size, size_t value_size, st_map_fn fn, void *ctx)
{
	/* the position between calls: a bucket number for hash maps, a key for others */
	size_t tok_size = key_size > 8 ? key_size : 8;
	char *keys = NULL, *values = NULL, *in = calloc(2, tok_size), *out;
	__u32 cap = BATCH;
	bool first = true;
	int ret = -ENOMEM;

	if (!in)
		return -ENOMEM;
	out = in + tok_size;
	for (;;) {
		__u32 count = cap;
		int err;

		if (!keys) {
			keys = calloc(cap, key_size);
			values = calloc(cap, value_size);
			if (!keys || !values)
				break;
		}
		err = bpf_map_lookup_batch(fd, first ? NULL : in, out, keys, values, &count, NULL);
		err = err ? errno : 0;
		if (err == ENOSPC && !count && cap < (1u << 16)) {	/* a bucket larger than cap */
			free(keys);
			free(values);
			keys = values = NULL;
			cap *= 2;
			continue;
		}
		if (err && err != ENOENT) {
			ret = first && (err == EINVAL || err == ENOTSUPP || err == EOPNOTSUPP) ?
			      WALK_NO_BATCH : -err;
			break;
		}
		ret = WALK_DONE;
		for (__u32 i = 0; i < count; i++)
			if (fn(keys + i * key_size, values + i * value_size, ctx))
				goto out;
		if (err == ENOENT)	/* that was the last batch */
			break;
		memcpy(in, out, tok_size);
		first = false;
	}
out:
	free(keys);
	free(values);
	free(in);
	return ret;
}

/* one key at a time */
static int walk_keys(int fd, size_t key_size, size_t value_size, st_map_fn fn, void *ctx)
{
	char *key = calloc(2, key_size), *prev, *value = calloc(1, value_size);
	bool first = true;

	if (!key || !value) {
		free(key);
		free(value);
		return -ENOMEM;
	}
	prev = key + key_size;
	while (bpf_map_get_next_key(fd, first ? NULL : prev, key) == 0) {
		first = false;
		memcpy(prev, key, key_size);
		if (bpf_map_lookup_elem(fd, key, value) == 0 && fn(key, value, ctx))
			break;
	}
	free(key);
	free(value);
	return 0;
}

int st_map_walk(int fd, size_t key_size, size_t value_size, st_map_fn fn, void *ctx)
{
	int ret = walk_batched(fd, key_size, value_size, fn, ctx);

	return ret == WALK_NO_BATCH ? walk_keys(fd, key_size, value_size, fn, ctx) : ret;
}

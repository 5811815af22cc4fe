// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <bpf/bpf.h>
#include "map_walk.h"
#include "socktrace.h"
#include "udp_expiry.h"

struct idle {
	__u64 deadline;		/* idle since before this: expired */
	struct st_udp_key *keys;
	size_t n, cap;
};

static int add_idle(const void *key, const void *value, void *ctx)
{
	const struct st_udp_val *v = value;
	struct idle *idle = ctx;

	if (v->last_ns > idle->deadline)
		return 0;
	if (idle->n == idle->cap) {
		size_t cap = idle->cap ? 2 * idle->cap : 64;
		struct st_udp_key *bigger = realloc(idle->keys, cap * sizeof(*bigger));

		if (!bigger)
			return 1;
		idle->keys = bigger;
		idle->cap = cap;
	}
	idle->keys[idle->n++] = *(const struct st_udp_key *)key;
	return 0;
}

size_t st_udp_expire(int flows_fd, __u64 now_mono_ns, __u64 idle_ns)
{
	struct idle idle = { .deadline = now_mono_ns - idle_ns };

	if (now_mono_ns < idle_ns)
		return 0;
	/* the keys first, then the deletions: a walk does not survive its own */
	st_map_walk(flows_fd, sizeof(struct st_udp_key), sizeof(struct st_udp_val), add_idle, &idle);
	for (size_t i = 0; i < idle.n; i++)
		bpf_map_delete_elem(flows_fd, &idle.keys[i]);
	free(idle.keys);
	return idle.n;
}

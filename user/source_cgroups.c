// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "cgroup_names.h"
#include "socktrace.h"
#include "socktrace.skel.h"
#include "source_ringbuf.h"
#include "source_cgroups.h"

/* the births named at most at once: a deploy's burst must not hold the loop */
#define CG_BATCH_MAX	256

static int on_birth(void *ctx, void *data, size_t size)
{
	const struct st_cgroup_birth *b = data;
	struct st_run *r = ctx;

	if (size >= sizeof(*b))
		st_cgroups_learn(r->cgroups, b->id, b->path,
				 b->len < sizeof(b->path) ? b->len : 0);
	return ++r->cg_batch >= CG_BATCH_MAX ? ST_SIDE_BATCH_END : 0;
}

int st_cgroup_source_open(struct st_run *r)
{
	if (!r->cgroups)
		return 0;
	r->cg_rb = ring_buffer__new(bpf_map__fd(r->skel->maps.cgroup_births), on_birth, r, NULL);
	if (!r->cg_rb) {
		fprintf(stderr, "socktrace: can't read the cgroups' ring buffer: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

int st_cgroup_source_read(struct st_run *r)
{
	return st_side_ring_read(r->cg_rb, &r->cg_batch);
}

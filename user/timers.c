// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cgroup_seed.h"
#include "loop.h"
#include "pipeline.h"
#include "socktrace.skel.h"
#include "timers.h"
#include "top.h"

#define SEC_NS		1000000000LL
#define SEED_EVERY_NS	(2 * 1000000LL)
#define SEED_DIRS	16	/* directories read per tick: about 8,000 a second */

static int summary(void *ctx)
{
	st_pipeline_summary(ctx);
	return 0;
}

static int top(void *ctx)
{
	return st_pipeline_top(ctx, true) ? ST_LOOP_STOP : 0;
}

static int keys(void *ctx)
{
	return st_pipeline_top_keys(ctx);
}

/* the cgroups that existed at start, a few directories per tick (cgroup_seed.c) */
static int seed(void *ctx)
{
	struct st_run *r = ctx;

	struct st_cg_stats st;

	if (st_cg_seed_step(r->cg_seed, SEED_DIRS))
		return 0;
	st_cg_seed_free(r->cg_seed);
	r->cg_seed = NULL;
	if (r->o->verbose) {
		st_cgroups_stats(r->cgroups, &st);
		fprintf(stderr, "socktrace: the cgroups that existed at start: %llu named by a walk "
			"of %s\n", st.seeded, st_cgroups_mount(r->cgroups));
	}
	return ST_LOOP_DONE;
}

static int deadline(void *ctx)
{
	(void)ctx;
	return ST_LOOP_STOP;
}

int st_timers_start(struct st_run *r)
{
	const struct st_opts *o = r->o;
	int err = 0;

	/* no sweep of idle UDP flows: the kernel ends them (bpf/udp_flow.bpf.h) */
	if (o->summary_every_s)
		err = st_loop_add_timer(r->loop, (long long)o->summary_every_s * SEC_NS,
					(long long)o->summary_every_s * SEC_NS, summary, r);
	if (!err && r->cgroups && !o->test_no_cgroup_walk && (r->cg_seed = st_cg_seed_new(r->cgroups)))
		err = st_loop_add_timer(r->loop, SEED_EVERY_NS, SEED_EVERY_NS, seed, r);
	if (!err && o->duration_s)
		err = st_loop_add_timer(r->loop, (long long)o->duration_s * SEC_NS, 0, deadline, r);
	if (!err && o->top) {
		r->top = st_top_begin();
		err = st_loop_add_timer(r->loop, 0, SEC_NS, top, r);	/* a first frame now */
		if (!err && st_top_has_keys(r->top))
			err = st_loop_add_fd(r->loop, STDIN_FILENO, keys, r);
	}
	if (err) {
		fprintf(stderr, "socktrace: can't set up the timers: %s\n", strerror(-err));
		return -1;
	}
	return 0;
}

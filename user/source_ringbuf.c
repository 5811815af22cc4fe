// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "loop.h"
#include "socktrace.h"
#include "socktrace.skel.h"
#include "source_cgroups.h"
#include "source_dns.h"
#include "source_ringbuf.h"

/*
 * libbpf's consume goes on while the producer keeps producing: under a storm
 * it would never return. The callback ends a batch after this many events
 * (the event itself is consumed), so that output is flushed, drops are
 * reported and signals and timers are seen at least this often.
 */
#define BATCH_MAX	4096
#define TICK_NS		20000000LL	/* the longest an event waits for the reader */
#define BATCH_END	(-EAGAIN)

static int on_event(void *ctx, void *data, size_t size)
{
	struct st_run *r = ctx;

	if (size < sizeof(struct st_event))
		return 0;
	r->events++;
	/*
	 * an answer or a cgroup's birth written after they were drained and
	 * before this event (the asker's connect, the first connect in the new
	 * cgroup) must name it: drained again first. With nothing there, two
	 * loads of each ring's positions.
	 */
	if (r->dns_rb)
		st_dns_source_read(r);
	if (r->cg_rb)
		st_cgroup_source_read(r);
	r->sink(r, data);
	return ++r->batch >= BATCH_MAX ? BATCH_END : 0;
}

/* at most once a second, and not over --top's screen */
static void report_drops(struct st_run *r)
{
	unsigned long long dropped = __atomic_load_n(&r->skel->bss->dropped, __ATOMIC_RELAXED);
	long long now = st_now_ns(CLOCK_MONOTONIC);

	if (dropped != r->drops_reported && now - r->drops_reported_ns >= 1000000000LL && !r->top) {
		fprintf(stderr, "socktrace: %llu events dropped so far: the ring buffer was "
			"full (try a larger --buffer-size)\n", dropped);
		r->drops_reported = dropped;
		r->drops_reported_ns = now;
	}
}

/* one batch, flushed: when a buffer's fd is readable (the answers' or the events'), and every
 * TICK_NS; the answers first (source_dns.h) */
static int read_batch(void *ctx)
{
	struct st_run *r = ctx;
	int answers, n;

	st_cgroup_source_read(r);	/* first: the cgroups' names before their events */
	answers = st_dns_source_read(r);	/* and the remote names before the connects */
	if (answers < 0 && answers != -EINTR) {
		fprintf(stderr, "socktrace: reading the DNS answers failed: %s\n",
			strerror(-answers));
		return answers;
	}
	r->batch = 0;
	n = ring_buffer__consume(r->rb);
	if (n == BATCH_END)
		n = (int)r->batch;
	if (n < 0 && n != -EINTR) {
		fprintf(stderr, "socktrace: reading the ring buffer failed: %s\n", strerror(-n));
		return n;
	}
	if ((n > 0 || answers > 0) && (fflush(stdout) || ferror(stdout))) {
		if (errno != EPIPE)
			fprintf(stderr, "socktrace: writing events failed: %s\n", strerror(errno));
		return ST_LOOP_STOP;
	}
	report_drops(r);
	return 0;
}

int st_ringbuf_open(struct st_run *r)
{
	int err;

	r->rb = ring_buffer__new(bpf_map__fd(r->skel->maps.events), on_event, r, NULL);
	if (!r->rb) {
		fprintf(stderr, "socktrace: can't create the ring buffer reader: %s\n",
			strerror(errno));
		return -1;
	}
	if (r->o->names && st_dns_source_open(r))
		return -1;
	if (st_cgroup_source_open(r))
		return -1;
	err = st_loop_add_fd(r->loop, ring_buffer__epoll_fd(r->rb), read_batch, r);
	if (!err && r->dns_rb)
		err = st_loop_add_fd(r->loop, ring_buffer__epoll_fd(r->dns_rb), read_batch, r);
	if (!err)
		err = st_loop_add_timer(r->loop, TICK_NS, TICK_NS, read_batch, r);
	if (err) {
		fprintf(stderr, "socktrace: can't add the ring buffer to the event loop: %s\n",
			strerror(-err));
		return -1;
	}
	return 0;
}

void st_ringbuf_drain(struct st_run *r)
{
	for (int i = 0; i < 64; i++) {
		st_cgroup_source_read(r);
		st_dns_source_read(r);
		r->batch = 0;
		if (ring_buffer__consume(r->rb) != BATCH_END)
			break;
	}
	fflush(stdout);
}

int st_side_ring_read(struct ring_buffer *rb, unsigned *batch)
{
	int n;

	if (!rb)
		return 0;
	*batch = 0;
	n = ring_buffer__consume(rb);
	return n == ST_SIDE_BATCH_END ? (int)*batch : n;
}

void st_ringbuf_close(struct st_run *r)
{
	ring_buffer__free(r->dns_rb);
	r->dns_rb = NULL;
	ring_buffer__free(r->cg_rb);
	r->cg_rb = NULL;
	ring_buffer__free(r->rb);
	r->rb = NULL;
}

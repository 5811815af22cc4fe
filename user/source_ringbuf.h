/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The source of events: the BPF ring buffer, read when the kernel side wakes
 * the loop (an eighth of the buffer queued) and otherwise every 20 ms, in
 * bounded batches, each handed to the pipeline and then flushed.
 */
#ifndef ST_SOURCE_RINGBUF_H
#define ST_SOURCE_RINGBUF_H

#include <errno.h>
#include "run.h"

/* Open the reader and add it to r->loop; each event goes to r->sink.
 * 0, or -1 (said on stderr). */
int st_ringbuf_open(struct st_run *r);

/* What is still in the buffer, in bounded batches, when the loop has ended. */
void st_ringbuf_drain(struct st_run *r);

void st_ringbuf_close(struct st_run *r);

/*
 * A side ring (the DNS answers', the cgroups' births): what is there now, at
 * most a batch, its callback counting into *batch and returning
 * ST_SIDE_BATCH_END at the batch's end. Their number, or -errno; 0 for no ring.
 */
#define ST_SIDE_BATCH_END	(-EAGAIN)
int st_side_ring_read(struct ring_buffer *rb, unsigned *batch);

#endif

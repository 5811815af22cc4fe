/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The source of existing sockets: the snapshot at start, once every live hook
 * is attached. The kernel's iterators (bpf/iter.bpf.c) find who holds each
 * socket, then walk TCP and UDP in each network namespace; each socket a
 * process holds goes to r->sink once (the kernel settles races with the live
 * hooks), with r->existing its holders. What it found is in r->snap.
 */
#ifndef ST_SOURCE_SNAPSHOT_H
#define ST_SOURCE_SNAPSHOT_H

#include "run.h"

/* 0, or -1 (said on stderr). Ends the snapshot window in the kernel either way. */
int st_snapshot_run(struct st_run *r);

/*
 * After st_snapshot_run(), with live hooks attached: once every hook that
 * could still see the snapshot window open has returned (an RCU grace
 * period), empty the claims map (bpf/existing.bpf.h); how many claims went is
 * in r->snap.claims_emptied. Not needed with --snapshot (nothing live).
 */
void st_snapshot_forget(struct st_run *r);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The third source: cgroups as the kernel makes them (cgroup_births,
 * bpf/cgroup_birth.bpf.c), named into the cache of cgroup names
 * (cgroup_names.c) before their tasks' first events ask for the name. Read
 * by the events' reader first, and again before each event (source_ringbuf.c),
 * as the DNS answers are: a birth written before an event is named before it.
 */
#ifndef ST_SOURCE_CGROUPS_H
#define ST_SOURCE_CGROUPS_H

#include "run.h"

/* the reader of cgroup_births, as r->cg_rb, when cgroups are named; 0, or -1 (said) */
int st_cgroup_source_open(struct st_run *r);

/* the births there now, at most a batch of them: their number, or -errno */
int st_cgroup_source_read(struct st_run *r);

#endif

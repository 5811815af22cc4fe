/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: cgroups the actors join (struct actor.cgroup), all under
 * LIVE_SLICE on the cgroup v2 mount: made by the actor that joins, after
 * socktrace started (so they are told at birth, bpf/cgroup_birth.bpf.c), and
 * removed by the runner once socktrace has stopped.
 */
#ifndef ST_LIVE_CGROUPS_H
#define ST_LIVE_CGROUPS_H

#define LIVE_SLICE	"/st-live.slice"

/* this process into LIVE_SLICE + sub, its directories made as needed; dies on failure */
void live_cgroup_join(const char *sub);

/* LIVE_SLICE and everything below it, deepest first (its processes gone); quiet */
void live_cgroups_remove(void);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --cgroup and --container, resolved at start into the subtrees' directories,
 * opened, for the kernel's filter (bpf/config.bpf.h, cgroup_wanted()).
 */
#ifndef ST_CGROUP_FILTER_H
#define ST_CGROUP_FILTER_H

#include <stddef.h>
#include "cli.h"

struct st_cgroups;

/* o->cgroup_args and o->container_args into o->cgroup_fds: 0, or -1 with a
 * one-line reason (no such cgroup, no such container, an ambiguous prefix) */
int st_cgroup_filter_open(struct st_opts *o, const struct st_cgroups *c, char *err, size_t len);
void st_cgroup_filter_close(struct st_opts *o);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef ST_CGROUP_SEED_H
#define ST_CGROUP_SEED_H

#include <stdbool.h>
#include "cgroup_names.h"

struct st_cg_seed;

/* A walk of c's mount, to name the cgroups that exist now; NULL without memory. */
struct st_cg_seed *st_cg_seed_new(struct st_cgroups *c);
/* Read up to dirs more directories: true while the walk goes on. */
bool st_cg_seed_step(struct st_cg_seed *s, int dirs);
void st_cg_seed_free(struct st_cg_seed *s);

#endif

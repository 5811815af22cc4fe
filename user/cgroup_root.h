/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where the cgroup v2 hierarchy's root is mounted, from /proc/self/mountinfo. */
#ifndef ST_CGROUP_ROOT_H
#define ST_CGROUP_ROOT_H

#include <stddef.h>
#include <stdio.h>

/* The first cgroup2 mount of the hierarchy's root ("/sys/fs/cgroup") from the
 * mountinfo lines of f, into path. 0, or -1 if there is none. */
int st_cgroup2_root(FILE *f, char *path, size_t len);

#endif

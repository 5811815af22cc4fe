/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The enricher that names cgroups: an event's cgroup v2 id to its path
 * relative to the cgroup2 mount, and what the path names (cgroup_parse.h).
 * Cached, bounded: a full cache evicts its least recently used entry (counted).
 * Cgroups made while tracing are named as the kernel makes them
 * (st_cgroups_learn(), source_cgroups.c), before their events come.
 * A miss is resolved at once with one file handle (open_by_handle_at() on the
 * mount, the id being the kernfs node id), not a walk of the tree; the path
 * found is checked against the id (its directory's inode number) before it is
 * kept, so a cgroup removed or renamed under it is left out, never misnamed.
 */
#ifndef ST_CGROUP_NAMES_H
#define ST_CGROUP_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "cgroup_parse.h"

#define ST_CG_CACHE	4096	/* cgroups named at once */

struct st_cg_name {
	__u64 id;
	bool known;		/* false: it could not be named (removed before it was) */
	size_t len;
	char *path;		/* "/system.slice/x.service", "/" for the root */
	struct st_cg_ident ident;
};

struct st_cg_stats {
	unsigned long long hits, misses;	/* lookups */
	unsigned long long evictions;		/* named cgroups dropped for room */
	unsigned long long unknown;		/* misses that could not be named (gone) */
	unsigned long long errors;		/* misses not tried again: open failed otherwise */
	unsigned long long births;		/* named as the kernel made them (st_cgroups_learn) */
	unsigned long long births_left;		/* told, but not named so: gone, or not checked */
	unsigned long long seeded;		/* named by the walk of what existed (cgroup_seed.c) */
};

struct st_cgroups;

/*
 * The cgroup2 mount from mountinfo (a path to /proc/self/mountinfo's format),
 * or dir when not NULL. NULL with a one-line reason in err when there is none.
 */
struct st_cgroups *st_cgroups_open(const char *mountinfo, const char *dir, size_t cap, char *err,
				   size_t errlen);
void st_cgroups_close(struct st_cgroups *c);

/* where cgroup2 is mounted ("/sys/fs/cgroup") */
const char *st_cgroups_mount(const struct st_cgroups *c);

/* The name of cgroup id: NULL when it can't be named now. Valid until the next call. */
const struct st_cg_name *st_cgroups_lookup(struct st_cgroups *c, __u64 id);

/*
 * Cgroup id was just made at path (len bytes, from the cgroup2 root, as the
 * kernel's cgroup_mkdir tracepoint tells it): named now, before any event of
 * its tasks needs it, so that their first lookup is a hit, not a file-handle
 * open on the event's way out; a cgroup removed before its events were read
 * is named too. The path is checked against the id (its directory's inode),
 * as a lookup's is; one already gone is believed once an earlier birth was
 * found where the kernel said (the mount is the hierarchy's root).
 */
void st_cgroups_learn(struct st_cgroups *c, __u64 id, const char *path, size_t len);

/*
 * Cgroup id is at path (len bytes, from the mount), as a walk of the mount
 * just found it (its directory's inode number is id): named now unless it
 * is already, evicting nothing (false when the cache is full).
 */
bool st_cgroups_seed(struct st_cgroups *c, __u64 id, const char *path, size_t len);

/* how many cgroups are named now, and how many may be */
size_t st_cgroups_count(const struct st_cgroups *c, size_t *cap);

/*
 * The id of a cgroup given as a path under the mount ("/system.slice") or as
 * its directory ("/sys/fs/cgroup/system.slice"): 0, or -errno.
 */
int st_cgroups_id_of(const struct st_cgroups *c, const char *path, __u64 *id);

void st_cgroups_stats(const struct st_cgroups *c, struct st_cg_stats *s);

/* The mount point of cgroup2 in a mountinfo file: 0, or -errno (-ENOENT: none). */
int st_cgroup2_mount(const char *mountinfo, char *out, size_t len);

#endif

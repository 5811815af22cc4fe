// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The cgroups that exist when tracing begins, named before their events
 * need them. Those made while tracing are told by the kernel as they are
 * made (source_cgroups.c); those made before would each be looked up on
 * their first event's way out (a file handle, tens of microseconds while the
 * stream waits). This walk names them first: breadth first from the mount,
 * a few directories at a time between events (the pipeline calls
 * st_cg_seed_step() from a timer), each cgroup's id being its directory's
 * inode number. It fills at most half the cache and never evicts: what the
 * events name themselves keeps its place. A directory gone while the walk
 * reaches it is skipped; one made after it is told at birth.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cgroup_seed.h"

struct st_cg_seed {
	struct st_cgroups *c;
	char **queue;		/* paths from the mount, "" for the root itself */
	size_t head, tail, cap;
	size_t max_named;	/* half the cache */
};

static bool push(struct st_cg_seed *s, const char *path, size_t len)
{
	char *p;

	if (s->tail == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **q = realloc(s->queue, cap * sizeof(*q));

		if (!q)
			return false;
		s->queue = q;
		s->cap = cap;
	}
	if (!(p = strndup(path, len)))
		return false;
	s->queue[s->tail++] = p;
	return true;
}

struct st_cg_seed *st_cg_seed_new(struct st_cgroups *c)
{
	struct st_cg_seed *s = calloc(1, sizeof(*s));
	struct stat root;
	size_t cap;

	if (!s)
		return NULL;
	s->c = c;
	st_cgroups_count(c, &cap);
	s->max_named = cap / 2;
	if (stat(st_cgroups_mount(c), &root) == 0)
		st_cgroups_seed(c, root.st_ino, "/", 1);
	if (!push(s, "", 0)) {
		free(s);
		return NULL;
	}
	return s;
}

static size_t named(const struct st_cg_seed *s)
{
	size_t cap;

	return st_cgroups_count(s->c, &cap);
}

/* name dir's subdirectories (dir: from the mount, "" for the root) and queue them */
static void read_dir(struct st_cg_seed *s, const char *dir)
{
	char abs[PATH_MAX], child[PATH_MAX];
	struct dirent *d;
	DIR *dp;

	if (snprintf(abs, sizeof(abs), "%s%s", st_cgroups_mount(s->c), dir) >= (int)sizeof(abs) ||
	    !(dp = opendir(abs)))
		return;		/* gone meanwhile, or too deep to name */
	while ((d = readdir(dp))) {
		struct stat st;
		int len;

		if (d->d_type != DT_DIR || !strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		len = snprintf(child, sizeof(child), "%s/%s", dir, d->d_name);
		if (len < 0 || len >= (int)sizeof(child) ||
		    fstatat(dirfd(dp), d->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISDIR(st.st_mode))
			continue;
		if (named(s) >= s->max_named)
			break;
		st_cgroups_seed(s->c, st.st_ino, child, (size_t)len);
		push(s, child, (size_t)len);	/* without memory: its subtree is left to lookups */
	}
	closedir(dp);
}

bool st_cg_seed_step(struct st_cg_seed *s, int dirs)
{
	for (int i = 0; i < dirs && s->head < s->tail; i++) {
		char *dir = s->queue[s->head++];

		if (named(s) < s->max_named)
			read_dir(s, dir);
		free(dir);
	}
	return s->head < s->tail && named(s) < s->max_named;
}

void st_cg_seed_free(struct st_cg_seed *s)
{
	if (!s)
		return;
	while (s->head < s->tail)
		free(s->queue[s->head++]);
	free(s->queue);
	free(s);
}

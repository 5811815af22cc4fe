// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cgroup_names.h"

#define WAYS		4	/* entries per set; the least recently used one goes */
#define WALK_DIRS	65536	/* the fallback's bound: directories looked at per miss */
#define WALK_DEPTH	64

struct st_cgroups {
	char mount[PATH_MAX];
	size_t mount_len;
	int mount_fd;
	dev_t dev;
	int handle_type;	/* the mount's file handle type; -1: none, walk instead */
	struct st_cg_name *e;
	unsigned long long *used;	/* tick of each entry's last use; 0: empty */
	size_t sets;		/* a power of two */
	unsigned long long tick;
	bool births_checked;	/* a birth's path was found on the mount: the two agree */
	size_t filled;		/* entries in use (never emptied, only replaced) */
	struct st_cg_stats st;
};

/* "\040" and the like: mountinfo's octal escapes */
static void unoctal(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

int st_cgroup2_mount(const char *mountinfo, char *out, size_t len)
{
	FILE *f = fopen(mountinfo, "re");
	char line[4096];
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		char root[PATH_MAX], mnt[PATH_MAX], fstype[64];
		const char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2 ||
		    sscanf(dash + 3, "%63s", fstype) != 1)
			continue;
		if (strcmp(fstype, "cgroup2") || strcmp(root, "/"))
			continue;
		unoctal(mnt);
		if (strlen(mnt) >= len)
			continue;
		strcpy(out, mnt);
		ret = 0;
	}
	fclose(f);
	return ret;
}

struct st_cgroups *st_cgroups_open(const char *mountinfo, const char *dir, size_t cap, char *err,
				   size_t errlen)
{
	struct st_cgroups *c = calloc(1, sizeof(*c));
	struct { struct file_handle fh; unsigned char b[64]; } h = { .fh.handle_bytes = 64 };
	struct stat st;
	int mount_id, r;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->mount_fd = -1;
	if (dir && strlen(dir) < sizeof(c->mount))
		strcpy(c->mount, dir);
	else if ((r = st_cgroup2_mount(mountinfo, c->mount, sizeof(c->mount)))) {
		snprintf(err, errlen, r == -ENOENT ? "no cgroup2 mount in %s" : "can't read %s: %s",
			 mountinfo, strerror(-r));
		goto fail;
	}
	c->mount_len = strlen(c->mount);
	while (c->mount_len > 1 && c->mount[c->mount_len - 1] == '/')
		c->mount[--c->mount_len] = '\0';
	c->mount_fd = open(c->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->mount_fd < 0 || fstat(c->mount_fd, &st)) {
		snprintf(err, errlen, "can't open the cgroup2 mount %s: %s", c->mount,
			 strerror(errno));
		goto fail;
	}
	c->dev = st.st_dev;
	c->handle_type = -1;
	if (!name_to_handle_at(c->mount_fd, "", &h.fh, &mount_id, AT_EMPTY_PATH) &&
	    h.fh.handle_bytes == sizeof(__u64))
		c->handle_type = h.fh.handle_type;
	for (c->sets = 1; c->sets * WAYS < cap; c->sets <<= 1)
		;
	c->e = calloc(c->sets * WAYS, sizeof(*c->e));
	c->used = calloc(c->sets * WAYS, sizeof(*c->used));
	if (!c->e || !c->used) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return c;
fail:
	st_cgroups_close(c);
	return NULL;
}

void st_cgroups_close(struct st_cgroups *c)
{
	if (!c)
		return;
	if (c->e)
		for (size_t i = 0; i < c->sets * WAYS; i++)
			free(c->e[i].path);
	free(c->e);
	free(c->used);
	if (c->mount_fd >= 0)
		close(c->mount_fd);
	free(c);
}

const char *st_cgroups_mount(const struct st_cgroups *c)
{
	return c->mount;
}

void st_cgroups_stats(const struct st_cgroups *c, struct st_cg_stats *s)
{
	*s = c->st;
}

/* path (absolute) is cgroup id now: a directory on the mount with that inode number */
static bool is_cgroup(const struct st_cgroups *c, const char *path, __u64 id)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode) && st.st_dev == c->dev &&
	       (__u64)st.st_ino == id;
}

/* the fallback without file handles: a bounded walk of the tree for the directory */
static bool walk(const struct st_cgroups *c, char *path, size_t len, __u64 id, int depth,
		 unsigned *budget)
{
	size_t n = strlen(path);
	struct dirent *d;
	DIR *dir;
	bool found = false;

	if (depth > WALK_DEPTH || !(dir = opendir(path)))
		return false;
	while (!found && (d = readdir(dir))) {
		if (d->d_type != DT_DIR || !strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (!(*budget)-- || n + 1 + strlen(d->d_name) >= len)
			break;
		path[n] = '/';
		strcpy(path + n + 1, d->d_name);
		found = (__u64)d->d_ino == id || walk(c, path, len, id, depth + 1, budget);
		if (!found)
			path[n] = '\0';
	}
	closedir(dir);
	return found;
}

/* the absolute path of cgroup id into abs: 0, -ESTALE when it is gone, or -errno */
static int resolve(struct st_cgroups *c, __u64 id, char *abs, size_t len)
{
	struct { struct file_handle fh; __u64 id; } h;
	char link[64];
	ssize_t n;
	int fd;

	if (c->handle_type < 0) {
		unsigned budget = WALK_DIRS;

		snprintf(abs, len, "%s", c->mount);
		return is_cgroup(c, abs, id) || walk(c, abs, len, id, 0, &budget) ? 0 : -ESTALE;
	}
	h.fh.handle_bytes = sizeof(h.id);
	h.fh.handle_type = c->handle_type;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(c->mount_fd, &h.fh, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ESTALE || errno == ENOENT ? -ESTALE : -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, abs, len);
	close(fd);
	if (n < 0)
		return -errno;
	if ((size_t)n >= len)
		return -ENAMETOOLONG;
	abs[n] = '\0';
	return 0;
}

static void name_it(struct st_cgroups *c, struct st_cg_name *e, __u64 id)
{
	char abs[PATH_MAX + 1];
	const char *rel;
	int err = resolve(c, id, abs, sizeof(abs));

	e->id = id;
	e->known = false;
	if (!err && !(strncmp(abs, c->mount, c->mount_len) == 0 &&
		      (abs[c->mount_len] == '/' || !abs[c->mount_len]) && is_cgroup(c, abs, id)))
		err = -ESTALE;	/* gone, renamed or moved while it was named */
	if (err) {
		if (err == -ESTALE)
			c->st.unknown++;
		else
			c->st.errors++;
		return;
	}
	rel = abs[c->mount_len] ? abs + c->mount_len : "/";
	e->len = strlen(rel);
	if (e->len > ST_CG_PATH_MAX || !(e->path = strdup(rel))) {
		c->st.errors++;
		return;
	}
	e->known = true;
	st_cg_parse(e->path, e->len, &e->ident);
}

/* the first of id's set's WAYS entries */
static size_t set_of(const struct st_cgroups *c, __u64 id)
{
	return ((size_t)((id * 0x9e3779b97f4a7c15ULL) >> 32) & (c->sets - 1)) * WAYS;
}

/* id's entry in its set; or, with *hit false, the slot made empty for it (the least recent) */
static struct st_cg_name *slot(struct st_cgroups *c, __u64 id, bool *hit)
{
	size_t set = set_of(c, id), victim = 0;
	struct st_cg_name *e = &c->e[set];
	unsigned long long *used = &c->used[set];

	c->tick++;
	for (size_t w = 0; w < WAYS; w++) {
		if (used[w] && e[w].id == id) {
			used[w] = c->tick;
			*hit = true;
			return &e[w];
		}
		if (used[w] < used[victim])
			victim = w;
	}
	if (used[victim]) {
		c->st.evictions++;
		free(e[victim].path);
	} else {
		c->filled++;
	}
	memset(&e[victim], 0, sizeof(e[victim]));
	used[victim] = c->tick;
	*hit = false;
	return &e[victim];
}

const struct st_cg_name *st_cgroups_lookup(struct st_cgroups *c, __u64 id)
{
	bool hit;
	struct st_cg_name *e = slot(c, id, &hit);

	if (hit) {
		c->st.hits++;
	} else {
		c->st.misses++;
		name_it(c, e, id);
	}
	return e->known ? e : NULL;
}

/* e names id by path (len bytes, checked): false when out of memory, e not known then */
static bool fill(struct st_cg_name *e, __u64 id, const char *path, size_t len)
{
	e->id = id;
	if (!(e->path = strndup(path, len)))
		return false;
	e->len = len;
	e->known = true;
	st_cg_parse(e->path, e->len, &e->ident);
	return true;
}

void st_cgroups_learn(struct st_cgroups *c, __u64 id, const char *path, size_t len)
{
	char abs[PATH_MAX + 1];
	struct st_cg_name *e;
	bool hit;

	if (!len || len > ST_CG_PATH_MAX || path[0] != '/' || memchr(path, '\0', len) ||
	    snprintf(abs, sizeof(abs), "%s%.*s", c->mount, (int)len, path) >= (int)sizeof(abs)) {
		c->st.births_left++;	/* the first event's lookup will name it, if it can */
		return;
	}
	/*
	 * The kernel's path is from the hierarchy's root, the mount's may start
	 * below it (a cgroup namespace): a birth is believed once one was seen
	 * where the kernel said, and a cgroup already gone again only then.
	 */
	errno = 0;	/* ENOENT below: the stat() found nothing there */
	if (is_cgroup(c, abs, id)) {
		c->births_checked = true;
	} else if (!c->births_checked || errno != ENOENT) {
		c->st.births_left++;
		return;
	}
	e = slot(c, id, &hit);
	if (hit)
		return;
	if (fill(e, id, path, len))
		c->st.births++;
	else
		c->st.errors++;
}

bool st_cgroups_seed(struct st_cgroups *c, __u64 id, const char *path, size_t len)
{
	size_t set = set_of(c, id), w, free_way = WAYS;
	struct st_cg_name *e = &c->e[set];
	unsigned long long *used = &c->used[set];

	for (w = 0; w < WAYS; w++) {
		if (used[w] && e[w].id == id)
			return true;	/* named already: by a birth, or an event's lookup */
		if (!used[w] && free_way == WAYS)
			free_way = w;
	}
	if (free_way == WAYS || !len || len > ST_CG_PATH_MAX)
		return false;		/* its set is full: its first event will look it up */
	e += free_way;
	memset(e, 0, sizeof(*e));
	if (!fill(e, id, path, len))
		return false;
	/* the least recent of its set: a seeded name never outlives one in use */
	used[free_way] = 1;
	c->filled++;
	c->st.seeded++;
	return true;
}

size_t st_cgroups_count(const struct st_cgroups *c, size_t *cap)
{
	*cap = c->sets * WAYS;
	return c->filled;
}

int st_cgroups_id_of(const struct st_cgroups *c, const char *path, __u64 *id)
{
	char abs[PATH_MAX + 1];
	struct stat st;
	bool under = !strncmp(path, c->mount, c->mount_len) &&
		     (path[c->mount_len] == '/' || !path[c->mount_len]);

	if (snprintf(abs, sizeof(abs), "%s%s%s", under ? "" : c->mount,
		     under || path[0] == '/' ? "" : "/", path) >= (int)sizeof(abs))
		return -ENAMETOOLONG;
	if (stat(abs, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_dev != c->dev)
		return -ENOTDIR;
	*id = st.st_ino;
	return 0;
}

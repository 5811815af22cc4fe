// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cgroup_filter.h"
#include "cgroup_names.h"
#include "escape.h"

#define WALK_DIRS	65536	/* directories looked at for one --container */
#define WALK_DEPTH	64

/* what a walk for a container found: the first directory it names, and its id */
struct found {
	const char *prefix;
	char path[PATH_MAX];	/* absolute */
	char id[ST_CG_ID_MAX + 1];
	int ids;		/* 2: two different containers begin with the prefix */
	unsigned budget;
	bool big;		/* the tree is bigger than WALK_DIRS */
};

/* each directory below path (absolute, in buf): the shallowest that names a container */
static void walk(char *buf, size_t len, int depth, struct found *f)
{
	size_t n = strlen(buf);
	struct dirent *d;
	DIR *dir;

	if (depth > WALK_DEPTH || f->ids > 1 || !(dir = opendir(buf)))
		return;
	while (f->ids < 2 && (d = readdir(dir))) {
		char comp[NAME_MAX + 2];
		struct st_cg_ident id;

		if (d->d_type != DT_DIR || !strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (!f->budget--) {
			f->big = true;
			break;
		}
		if (n + 1 + strlen(d->d_name) >= len)
			continue;
		snprintf(comp, sizeof(comp), "/%s", d->d_name);
		st_cg_parse(comp, strlen(comp), &id);
		buf[n] = '/';
		strcpy(buf + n + 1, d->d_name);
		if (id.container[0] && !strncmp(id.container, f->prefix, strlen(f->prefix))) {
			if (!f->ids || strcmp(f->id, id.container)) {
				if (!f->ids) {
					strcpy(f->path, buf);
					strcpy(f->id, id.container);
				}
				f->ids++;
			}
		} else {
			walk(buf, len, depth + 1, f);
		}
		buf[n] = '\0';
	}
	closedir(dir);
}

/* the open directory of a cgroup given as a path under the mount or as its directory */
static int open_cgroup(const struct st_cgroups *c, const char *arg, char *err, size_t len)
{
	const char *mnt = st_cgroups_mount(c);
	size_t ml = strlen(mnt);
	char abs[PATH_MAX + 1], q[ST_ESC_MAX(64)];
	bool under = !strncmp(arg, mnt, ml) && (arg[ml] == '/' || !arg[ml]);
	__u64 id;
	int fd, r = st_cgroups_id_of(c, arg, &id);

	st_escape(q, sizeof(q), arg, 64, ST_ESC_TEXT);
	if (r) {
		snprintf(err, len, "no cgroup '%s%s' under %s: %s", q, strlen(arg) > 64 ? "..." : "",
			 mnt, strerror(-r));
		return -1;
	}
	snprintf(abs, sizeof(abs), "%s%s%s", under ? "" : mnt, under || arg[0] == '/' ? "" : "/",
		 arg);
	fd = open(abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		snprintf(err, len, "can't open cgroup '%s': %s", q, strerror(errno));
	return fd;
}

int st_cgroup_filter_open(struct st_opts *o, const struct st_cgroups *c, char *err, size_t len)
{
	o->n_cgroup_fds = 0;
	if (!o->n_cgroup_args && !o->n_container_args)
		return 0;
	if (!c) {
		snprintf(err, len, "--cgroup and --container need cgroup2 mounted");
		return -1;
	}
	for (int i = 0; i < o->n_cgroup_args; i++) {
		int fd = open_cgroup(c, o->cgroup_args[i], err, len);

		if (fd < 0)
			goto fail;
		o->cgroup_fds[o->n_cgroup_fds++] = fd;
	}
	for (int i = 0; i < o->n_container_args; i++) {
		static struct found f;
		char buf[PATH_MAX];
		int fd;

		memset(&f, 0, sizeof(f));
		f.prefix = o->container_args[i];
		f.budget = WALK_DIRS;
		snprintf(buf, sizeof(buf), "%s", st_cgroups_mount(c));
		walk(buf, sizeof(buf), 0, &f);
		if (f.ids > 1) {
			snprintf(err, len, "container id '%s' is ambiguous: more than one container's "
				 "id begins with it", f.prefix);
			goto fail;
		}
		if (!f.ids) {
			snprintf(err, len, "no container with id '%s' under %s%s", f.prefix,
				 st_cgroups_mount(c), f.big ? " (looked at its first 65536 cgroups)" : "");
			goto fail;
		}
		fd = open(f.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(err, len, "can't open container %s's cgroup: %s", f.id,
				 strerror(errno));
			goto fail;
		}
		o->cgroup_fds[o->n_cgroup_fds++] = fd;
	}
	return 0;
fail:
	st_cgroup_filter_close(o);
	return -1;
}

void st_cgroup_filter_close(struct st_opts *o)
{
	for (int i = 0; i < o->n_cgroup_fds; i++)
		close(o->cgroup_fds[i]);
	o->n_cgroup_fds = 0;
}

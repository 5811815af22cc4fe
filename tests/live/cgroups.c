// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cgroup_root.h"
#include "cgroups.h"
#include "util.h"

/* LIVE_SLICE's directory on the cgroup v2 mount, into path: 0, or -1 (no mount) */
static int slice_dir(char *path, size_t len)
{
	char root[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = f ? st_cgroup2_root(f, root, sizeof(root)) : -1;

	if (f)
		fclose(f);
	if (found || snprintf(path, len, "%s%s", root, LIVE_SLICE) >= (int)len)
		return -1;
	return 0;
}

void live_cgroup_join(const char *sub)
{
	char dir[8192], procs[8300], pid[16];
	size_t base;

	if (slice_dir(dir, sizeof(dir)))
		die("no cgroup v2 mount in /proc/self/mountinfo");
	base = strlen(dir);
	if (snprintf(dir + base, sizeof(dir) - base, "%s", sub) >= (int)(sizeof(dir) - base))
		die("a cgroup path too long: %s", sub);
	/* each directory from the slice down */
	for (char *p = dir + base - strlen(LIVE_SLICE); p; p = strchr(p + 1, '/')) {
		char keep = *p;

		if (p == dir + base - strlen(LIVE_SLICE))
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			die("mkdir %s", dir);
		*p = keep;
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		die("mkdir %s", dir);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	write_file(procs, pid);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	return 0;
}

void live_cgroups_remove(void)
{
	char dir[8192];
	struct stat st;

	if (!slice_dir(dir, sizeof(dir)) && !stat(dir, &st))
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests: the walk that names the cgroups existing at start
 * (user/cgroup_seed.c), over a directory tree made here in place of the
 * cgroup2 mount: every directory named with its path, found by its inode
 * number as an event's lookup would; at most half the cache, nothing evicted.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cgroup_names.h"
#include "cgroup_seed.h"
#include "unit.h"

#define DOCKER "/system.slice/docker-" \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope"

static const char *const tree[] = {
	"/system.slice", "/system.slice/nginx.service", DOCKER, "/user.slice",
	"/user.slice/user-1000.slice", "/kubepods.slice",
};
#define N_TREE (sizeof(tree) / sizeof(tree[0]))

static __u64 ino_of(const char *root, const char *rel)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	return stat(p, &st) ? 0 : st.st_ino;
}

static struct st_cgroups *walked(const char *root, size_t cap)
{
	char err[200];
	struct st_cgroups *c = st_cgroups_open(NULL, root, cap, err, sizeof(err));
	struct st_cg_seed *s = c ? st_cg_seed_new(c) : NULL;
	int steps = 0;

	CHECK(s != NULL, "no walk: %s", c ? "" : err);
	while (s && st_cg_seed_step(s, 2) && steps < 1000)
		steps++;
	CHECK(steps < 1000, "the walk did not end");
	st_cg_seed_free(s);
	return c;
}

static void test_names_all(const char *root)
{
	struct st_cgroups *c = walked(root, 64);
	struct st_cg_stats st;

	if (!c)
		return;
	for (size_t i = 0; i < N_TREE; i++) {
		const struct st_cg_name *n = st_cgroups_lookup(c, ino_of(root, tree[i]));

		CHECK(n && !strcmp(n->path, tree[i]), "%s named %s", tree[i], n ? n->path : "(none)");
	}
	const struct st_cg_name *top = st_cgroups_lookup(c, ino_of(root, ""));
	CHECK(top && !strcmp(top->path, "/"), "the root named %s", top ? top->path : "(none)");
	const struct st_cg_name *d = st_cgroups_lookup(c, ino_of(root, DOCKER));
	CHECK(d && !strcmp(d->ident.container, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
	      "the docker scope's container: %s", d ? d->ident.container : "(none)");
	st_cgroups_stats(c, &st);
	CHECK(st.seeded == N_TREE + 1 && st.misses == 0 && st.hits == N_TREE + 2 &&
	      st.evictions == 0, "seeded %llu, hits %llu, misses %llu, evictions %llu",
	      st.seeded, st.hits, st.misses, st.evictions);
	st_cgroups_close(c);
}

/* a cache of 8: the walk stops at 4, evicts nothing; the rest are looked up when needed */
static void test_half_the_cache(const char *root)
{
	struct st_cgroups *c = walked(root, 8);
	struct st_cg_stats st;
	size_t cap, n;

	if (!c)
		return;
	n = st_cgroups_count(c, &cap);
	st_cgroups_stats(c, &st);
	CHECK(cap == 8 && n <= 4 && st.seeded == n && st.evictions == 0,
	      "cap %zu: %zu named, %llu seeded, %llu evicted", cap, n, st.seeded, st.evictions);
	st_cgroups_close(c);
}

void test_cgroup_seed(void)
{
	char root[] = "/tmp/st-unit-cg-XXXXXX", p[512];

	if (!mkdtemp(root)) {
		CHECK(0, "mkdtemp: %m");
		return;
	}
	for (size_t i = 0; i < N_TREE; i++) {
		snprintf(p, sizeof(p), "%s%s", root, tree[i]);
		CHECK(mkdir(p, 0755) == 0, "mkdir %s: %m", p);
	}
	test_names_all(root);
	test_half_the_cache(root);
	for (size_t i = N_TREE; i-- > 0;) {
		snprintf(p, sizeof(p), "%s%s", root, tree[i]);
		rmdir(p);
	}
	rmdir(root);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: live scenarios for socktrace. Each scenario makes known traffic in
 * a network namespace of its own, runs socktrace around it, and checks that
 * socktrace reported exactly the expected events (type, pid, comm, 5-tuple):
 * nothing missing, nothing extra. A static build runs in a busybox VM too.
 *
 *   st-live --socktrace PATH [--backend NAME] [--expect-backend NAME]
 *           [--only NAME[,NAME...]] [--list] [--expect-unavailable]
 *           [--retries N]
 *   st-live --traffic NAME      only make NAME's traffic; print "actor PID COMM" lines
 *
 * A scenario that fails is run once more (--retries N, default 1), and the
 * first failure is printed as "RETRY name: why": a flake stays visible.
 *
 * Prints "PASS name" or "FAIL name: why" per scenario and ends with the line
 * "N passed, N failed"; exits 1 if anything failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "registry.h"
#include "tracer.h"
#include "util.h"

static const char *tmpdir = "/tmp";

/* a fresh scratch directory under tmpdir, and its removal */
static void workdir_make(const char *name, char *dir, size_t len)
{
	snprintf(dir, len, "%s/st-live.%s.XXXXXX", tmpdir, name);
	if (!mkdtemp(dir))
		die("mkdtemp %s", dir);
}

static void workdir_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[512];

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static int attempt(const struct scenario *sc, const struct run_opts *o, char *why, size_t len)
{
	char dir[256];
	int rc;

	workdir_make(sc->name, dir, sizeof(dir));
	rc = run_scenario(sc, o, dir, why, len);
	workdir_remove(dir);
	return rc;
}

/* A backend that can't work here must fail cleanly: non-zero, one line on stderr. */
static int expect_unavailable(const struct run_opts *o)
{
	const char *backend = o->backend;
	char *argv[] = { (char *)o->socktrace, "--backend", (char *)backend, "-d", "1", NULL };
	struct tracer t = {};
	int status, lines = 0, rc = 1;
	char dir[256], *err;

	workdir_make("unavailable", dir, sizeof(dir));
	tracer_spawn(&t, dir, argv);
	waitpid(t.pid, &status, 0);
	t.pid = 0;
	err = slurp(t.err);
	for (char *p = err; *p; p++)
		lines += *p == '\n';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1 && lines == 1 &&
	    strstr(err, "backend does not work here")) {
		printf("PASS unavailable_%s\n1 passed, 0 failed\n", backend);
		rc = 0;
	} else {
		printf("FAIL unavailable_%s: status %d, stderr: %s\n0 passed, 1 failed\n", backend,
		       status, err);
	}
	free(err);
	tracer_cleanup(&t);
	workdir_remove(dir);
	return rc;
}

static bool selected(const char *only, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = only; p && *p;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return true;
		p = c ? c + 1 : p + len;
	}
	return !only;
}

/* one line per result */
static void one_line(char *s)
{
	for (char *c = s; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
}

int main(int argc, char **argv)
{
	struct run_opts o = { .backend = "auto" };
	const char *only = NULL;
	bool unavailable = false;
	int passed = 0, failed = 0, retries = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--socktrace") && i + 1 < argc) {
			o.socktrace = argv[++i];
		} else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			o.backend = argv[++i];
		} else if (!strcmp(argv[i], "--expect-backend") && i + 1 < argc) {
			o.expect_backend = argv[++i];
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--traffic") && i + 1 < argc) {
			o.traffic_only = true;
			only = argv[++i];
		} else if (!strcmp(argv[i], "--retries") && i + 1 < argc) {
			retries = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--expect-unavailable")) {
			unavailable = true;
		} else if (!strcmp(argv[i], "--list")) {
			for (int s = 0; s < n_scenarios; s++)
				printf("%-16s %s\n", scenarios[s]->name, scenarios[s]->what);
			return 0;
		} else {
			fprintf(stderr, "st-live: unknown argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!o.socktrace && !o.traffic_only) {
		fprintf(stderr, "st-live: --socktrace PATH is required\n");
		return 2;
	}
	if (getenv("TMPDIR"))
		tmpdir = getenv("TMPDIR");
	mkdir(tmpdir, 01777);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unavailable)
		return expect_unavailable(&o);
	for (int s = 0; s < n_scenarios; s++) {
		const struct scenario *sc = scenarios[s];
		char why[2048] = "";

		if (!selected(only, sc->name))
			continue;
		int rc = attempt(sc, &o, why, sizeof(why));

		/* a failure is tried once more, and said: a flake stays visible */
		for (int r = 0; rc && r < retries; r++) {
			one_line(why);
			printf("RETRY %s: %s\n", sc->name, why);
			rc = attempt(sc, &o, why, sizeof(why));
		}
		if (rc == 0) {
			printf("PASS %s\n", sc->name);
			passed++;
		} else {
			one_line(why);
			printf("FAIL %s: %s\n", sc->name, why);
			failed++;
		}
	}
	if (passed + failed == 0) {
		printf("FAIL: no scenario matched --only %s\n", only);
		failed = 1;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: live scenarios for socktrace. Each scenario makes known traffic in
 * a network namespace of its own, runs socktrace around it, and checks that
 * socktrace reported exactly the expected events (type, pid, comm, 5-tuple):
 * nothing missing, nothing extra. A static build runs in a busybox VM too.
 *
 *   st-live --socktrace PATH [--backend NAME] [--expect-backend NAME]
 *           [--only NAME[,NAME...]] [--list] [--expect-unavailable]
 *           [--retries N] [--slowdown F | --reference-ns NS] [--hang NAME]
 *   st-live --traffic NAME      only make NAME's traffic; print "actor PID COMM" lines
 *   st-live --calibrate         print "calibrate NS": how long a fixed CPU loop took here
 *   st-live [--only ...] [--retries N] [--slowdown F | --reference-ns NS] --budget
 *                               print "budget S": seconds the selected scenarios may take
 *
 * A scenario that fails is run once more (--retries N, default 1), and the
 * first failure is printed as "RETRY name: why": a flake stays visible.
 * Each scenario has a time limit sized from what it does, times the slowdown
 * (--slowdown F >= 1, or max(1, calibrate / NS) with --reference-ns NS); one
 * that runs out is killed with its socktrace and actors, what they printed is
 * shown ("  | " lines), and it fails with "timeout after N s (limit M s)".
 * --hang NAME makes that scenario block once socktrace traces (a test of that).
 *
 * Prints "slowdown F (...)" first, "PASS name" or "FAIL name: why" per
 * scenario and ends with the line "N passed, N failed"; exits 1 if anything
 * failed.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "budget.h"
#include "registry.h"
#include "runner.h"
#include "tracer.h"
#include "util.h"

/* A backend that can't work here must fail cleanly: non-zero, one line on stderr. */
static int expect_unavailable(const struct runner *r)
{
	const char *backend = r->run.backend;
	char *argv[] = { (char *)r->run.socktrace, "--backend", (char *)backend, "-d", "1", NULL };
	struct tracer t = {};
	int status, lines = 0, rc = 1;
	char dir[WORKDIR_LEN], *err;

	workdir_make(r->tmpdir, "unavailable", dir, sizeof(dir));
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

/* a number >= min, all of the string, or -1 */
static double number(const char *s, double min)
{
	char *end;
	double v = strtod(s, &end);

	return *s && !*end && v >= min && v < 1e9 ? v : -1;
}

/* the slowdown, and the line that says where it comes from */
static double slowdown_of(double given, double reference_ns, char *how, size_t len)
{
	long long own;
	double f;

	if (given > 0) {
		snprintf(how, len, "given");
		return given;
	}
	if (reference_ns <= 0) {
		snprintf(how, len, "default");
		return 1;
	}
	own = calibrate_ns();
	f = own / reference_ns;
	snprintf(how, len, "calibrate %lld ns vs reference %.0f ns", own, reference_ns);
	return f > 1 ? f : 1;
}

static int usage(const char *what, const char *arg)
{
	fprintf(stderr, "st-live: %s '%s'\n", what, arg);
	return 2;
}

static const char *kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u))
		snprintf(u.release, sizeof(u.release), "?");
	return u.release;
}

/*
 * A scenario whose feature came after this kernel: said with its name and
 * the release it needs (appended to names), and not run.
 */
static bool too_old(const struct scenario *sc, char *names, size_t len)
{
	unsigned major = 0, minor = 0;
	size_t used = strlen(names);

	if (!sc->since[0])
		return false;
	if (sscanf(kernel_release(), "%u.%u", &major, &minor) != 2)
		return false;	/* unknown: run it, and let it fail if it must */
	if (major > sc->since[0] || (major == sc->since[0] && minor >= sc->since[1]))
		return false;
	printf("N/A  %s: needs Linux %u.%u+, this kernel is %s\n", sc->name, sc->since[0],
	       sc->since[1], kernel_release());
	snprintf(names + used, len - used, " %s (Linux %u.%u+)", sc->name, sc->since[0],
		 sc->since[1]);
	return true;
}

int main(int argc, char **argv)
{
	struct runner r = { .run = { .backend = "auto" }, .tmpdir = "/tmp", .retries = 1 };
	const struct scenario *sel[64];
	const char *only = NULL;
	bool unavailable = false, budget = false;
	double given = 0, reference_ns = 0;
	int passed = 0, failed = 0, n = 0, n_na = 0, repeat = 1;
	char how[128], na[512] = "";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--socktrace") && i + 1 < argc) {
			r.run.socktrace = argv[++i];
		} else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			r.run.backend = argv[++i];
		} else if (!strcmp(argv[i], "--expect-backend") && i + 1 < argc) {
			r.run.expect_backend = argv[++i];
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--traffic") && i + 1 < argc) {
			r.run.traffic_only = true;
			only = argv[++i];
		} else if (!strcmp(argv[i], "--retries") && i + 1 < argc) {
			r.retries = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--slowdown") && i + 1 < argc) {
			if ((given = number(argv[++i], 1)) < 0)
				return usage("--slowdown needs a number >= 1, not", argv[i]);
		} else if (!strcmp(argv[i], "--reference-ns") && i + 1 < argc) {
			if ((reference_ns = number(argv[++i], 1)) < 0)
				return usage("--reference-ns needs a number of nanoseconds, not", argv[i]);
		} else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
			double count = number(argv[++i], 1);

			if (count < 0 || count > 10000)
				return usage("--repeat needs a count from 1 to 10000, not", argv[i]);
			repeat = (int)count;
		} else if (!strcmp(argv[i], "--hang") && i + 1 < argc) {
			r.hang = argv[++i];
		} else if (!strcmp(argv[i], "--budget")) {
			budget = true;
		} else if (!strcmp(argv[i], "--calibrate")) {
			printf("calibrate %lld\n", calibrate_ns());
			return 0;
		} else if (!strcmp(argv[i], "--expect-unavailable")) {
			unavailable = true;
		} else if (!strcmp(argv[i], "--list")) {
			for (int s = 0; s < n_scenarios; s++)
				printf("%-16s %s\n", scenarios[s]->name, scenarios[s]->what);
			return 0;
		} else {
			return usage("unknown argument", argv[i]);
		}
	}
	for (int s = 0; s < n_scenarios && n < (int)(sizeof(sel) / sizeof(sel[0])); s++)
		if (selected(only, scenarios[s]->name))
			sel[n++] = scenarios[s];
	r.slowdown = slowdown_of(given, reference_ns, how, sizeof(how));
	if (budget) {
		printf("budget %lu\n", budget_s(sel, n, r.slowdown, r.retries));
		return 0;
	}
	if (!r.run.socktrace && !r.run.traffic_only) {
		fprintf(stderr, "st-live: --socktrace PATH is required\n");
		return 2;
	}
	if (getenv("TMPDIR"))
		r.tmpdir = getenv("TMPDIR");
	mkdir(r.tmpdir, 01777);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unavailable)
		return expect_unavailable(&r);
	if (!r.run.traffic_only)	/* --traffic prints actor lines only */
		printf("slowdown %.1f (%s)\n", r.slowdown, how);
	runner_init();
	for (int s = 0; s < n * repeat; s++) {
		if (too_old(sel[s % n], na, sizeof(na))) {
			n_na++;
			continue;
		}
		if (runner_run(&r, sel[s % n]))
			failed++;
		else
			passed++;
	}
	if (passed + failed == 0) {
		printf("FAIL: no scenario matched --only %s\n", only);
		failed = 1;
	}
	if (n_na)
		printf("st-live: %d not applicable on this kernel (%s), neither passed nor failed:%s\n",
		       n_na, kernel_release(), na);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "budget.h"
#include "runner.h"
#include "util.h"

#define TAIL_LINES	40

static volatile pid_t running;	/* the process group of the attempt under way */

static void pass_on(int sig)
{
	if (running > 0) {
		kill(-running, SIGKILL);
		while (waitpid(-running, NULL, 0) > 0)
			;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void runner_init(void)
{
	/* a killed scenario's socktrace and actors are reparented here, to be reaped */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGINT, pass_on);
	signal(SIGTERM, pass_on);
}

void workdir_make(const char *tmpdir, const char *name, char *dir, size_t len)
{
	snprintf(dir, len, "%s/st-live.%s.XXXXXX", tmpdir, name);
	if (!mkdtemp(dir))
		die("mkdtemp %s", dir);
}

void workdir_remove(const char *dir)
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

/* the last TAIL_LINES lines of dir/file, each "  | " first */
static void print_tail(const char *dir, const char *file, const char *what)
{
	char path[512], *text, *start;
	int lines = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	text = slurp(path);
	start = text + strlen(text);
	if (start > text && start[-1] == '\n')
		start--;
	while (start > text && lines < TAIL_LINES)
		if (*--start == '\n' && ++lines == TAIL_LINES)
			start++;
	printf("  | --- %s (%s, last %d lines at most)\n", what, file, TAIL_LINES);
	for (const char *l = start; *l;) {
		char buf[1024];

		l = next_line(l, buf, sizeof(buf));
		printf("  | %s\n", buf);
	}
	free(text);
}

/* after a timeout: what the scenario and its socktrace runs had printed */
static void print_leftovers(const char *dir, pid_t group)
{
	char path[512], *netns;
	DIR *d = opendir(dir);
	struct dirent *de;

	snprintf(path, sizeof(path), "%s/netns", dir);
	netns = slurp(path);
	netns[strcspn(netns, "\n")] = '\0';
	printf("  | killed process group %d (network namespace %s)\n", group,
	       *netns ? netns : "not made yet");
	free(netns);
	print_tail(dir, "st-live.err", "the scenario's messages");
	while (d && (de = readdir(d))) {
		if (!strncmp(de->d_name, "socktrace.", 10))
			print_tail(dir, de->d_name,
				   strstr(de->d_name, ".out") ? "socktrace stdout" : "socktrace stderr");
	}
	if (d)
		closedir(d);
}

/* in the child: lead a process group, run sc, leave why in dir/why */
static void __attribute__((noreturn))
attempt_child(const struct runner *r, const struct scenario *sc, const char *dir)
{
	struct run_opts o = r->run;
	char why[2048] = "", path[512];
	sigset_t none;
	FILE *f;
	int rc, fd;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(path, sizeof(path), "%s/st-live.err", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd >= 0)
		dup2(fd, 2);
	o.hang = r->hang && !strcmp(r->hang, sc->name);
	rc = run_scenario(sc, &o, dir, why, sizeof(why));
	snprintf(path, sizeof(path), "%s/why", dir);
	f = fopen(path, "w");
	if (f) {
		fputs(why, f);
		fclose(f);
	}
	fflush(stdout);
	_exit(rc ? 1 : 0);
}

/* wait for the child until the deadline: 0 with its status, or -1 on timeout */
static int wait_until(pid_t child, double deadline, int *status)
{
	sigset_t chld;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		pid_t w = waitpid(child, status, WNOHANG);
		double left = deadline - now_s();
		struct timespec ts;

		if (w == child)
			return 0;
		if (w < 0 && errno != EINTR)
			die("waitpid");
		if (left <= 0)
			return -1;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		sigtimedwait(&chld, NULL, &ts);	/* a child's end, or the deadline */
	}
}

/* one attempt at sc under its limit: 0, or -1 with why */
static int attempt(const struct runner *r, const struct scenario *sc, char *why, size_t len)
{
	unsigned limit = scaled_limit_s(sc, r->slowdown);
	char dir[WORKDIR_LEN], path[600], *text;
	double t0 = now_s();
	int status = 0, rc = -1;
	sigset_t chld;
	pid_t child;

	workdir_make(r->tmpdir, sc->name, dir, sizeof(dir));
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);	/* waited for with sigtimedwait */
	fflush(stdout);
	fflush(stderr);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0)
		attempt_child(r, sc, dir);
	setpgid(child, child);
	running = child;
	if (wait_until(child, t0 + limit, &status)) {
		kill(-child, SIGKILL);
		print_leftovers(dir, child);
		snprintf(why, len, "timeout after %.1f s (limit %u s)", now_s() - t0, limit);
	} else {
		snprintf(path, sizeof(path), "%s/why", dir);
		text = slurp(path);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			rc = 0;
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
			snprintf(why, len, "%s", text);
		else if (WIFEXITED(status))
			snprintf(why, len, "the scenario's process exited with %d", WEXITSTATUS(status));
		else
			snprintf(why, len, "the scenario's process was killed by signal %d",
				 WTERMSIG(status));
		free(text);
		/* its messages, where they went before scenarios ran in a child */
		snprintf(path, sizeof(path), "%s/st-live.err", dir);
		text = slurp(path);
		fputs(text, stderr);
		free(text);
		kill(-child, SIGKILL);	/* anything it left behind */
	}
	/* the group's every process, the child's and the reparented ones */
	while (waitpid(-child, NULL, 0) > 0 || errno == EINTR)
		;
	running = 0;
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	workdir_remove(dir);
	return rc;
}

/* one line per result */
static void one_line(char *s)
{
	for (char *c = s; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
}

int runner_run(const struct runner *r, const struct scenario *sc)
{
	char why[2048] = "";
	int rc = attempt(r, sc, why, sizeof(why));

	/* a failure is tried once more, and said: a flake stays visible */
	for (int i = 0; rc && i < r->retries; i++) {
		one_line(why);
		printf("RETRY %s: %s\n", sc->name, why);
		rc = attempt(r, sc, why, sizeof(why));
	}
	if (rc == 0) {
		printf("PASS %s\n", sc->name);
		return 0;
	}
	one_line(why);
	printf("FAIL %s: %s\n", sc->name, why);
	return -1;
}

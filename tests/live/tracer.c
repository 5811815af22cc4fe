// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tracer.h"
#include "util.h"

#define START_S	60	/* socktrace must say it is tracing within this */

void tracer_spawn(struct tracer *t, const char *dir, char **argv)
{
	static int seq;

	snprintf(t->out, sizeof(t->out), "%s/socktrace.%d.out", dir, seq);
	snprintf(t->err, sizeof(t->err), "%s/socktrace.%d.err", dir, seq++);
	t->pid = fork();
	if (t->pid < 0)
		die("fork");
	if (t->pid == 0) {
		int o = open(t->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(t->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* not left behind by a scenario that dies */
		if (o < 0 || e < 0)
			die("open %s", t->out);
		dup2(o, 1);
		dup2(e, 2);
		execv(argv[0], argv);
		die("exec %s", argv[0]);
	}
}

int tracer_start(struct tracer *t, const char *dir, char **argv, char *why, size_t len)
{
	double deadline = now_s() + START_S;

	tracer_spawn(t, dir, argv);
	while (now_s() < deadline) {
		char *err = slurp(t->err);
		bool ready = strstr(err, "socktrace: tracing with the ") != NULL;
		int status;

		if (ready) {
			free(err);
			return 0;
		}
		if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
			snprintf(why, len, "socktrace exited (status %d) before tracing: %.300s",
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1, err);
			free(err);
			t->pid = 0;
			return -1;
		}
		free(err);
		usleep(10000);
	}
	snprintf(why, len, "socktrace did not start tracing within %d s", START_S);
	return -1;
}

int tracer_stop(struct tracer *t, char *why, size_t len)
{
	int status;

	if (t->pid <= 0)
		return -1;
	kill(t->pid, SIGINT);
	if (waitpid(t->pid, &status, 0) != t->pid)
		die("waitpid socktrace");
	t->pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(why, len, "socktrace ended with status %d after SIGINT", status);
		return -1;
	}
	return 0;
}

void tracer_cleanup(struct tracer *t)
{
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
	}
	if (t->out[0])
		unlink(t->out);
	if (t->err[0])
		unlink(t->err);
}

/* after a mismatch: what socktrace reported of its own on stderr (drops, skipped hook runs) */
void tracer_reports(const struct tracer *t, char *why, size_t len)
{
	char *err = slurp(t->err);
	size_t used = strlen(why);

	for (char *l = err; *l && used + 1 < len;) {
		size_t n = strcspn(l, "\n");

		if (!strncmp(l, "socktrace: ", 11) && !strstr(l, "started in"))
			used += (size_t)snprintf(why + used, len - used, " | %.*s", (int)n, l);
		l += n + (l[n] == '\n');
	}
	free(err);
}

long long tracer_said(const struct tracer *t, const char *fmt)
{
	char *err = slurp(t->err), whole[256];
	unsigned long long v;
	long long found = -1;

	/* sscanf() counts what it assigned, not what matched: %n after the text must be reached */
	snprintf(whole, sizeof(whole), "%s%%n", fmt);
	for (char *l = err; *l && found < 0;) {
		size_t n = strcspn(l, "\n");
		int end = -1;

		if (sscanf(l, whole, &v, &end) == 1 && end > 0)
			found = (long long)v;
		l += n + (l[n] == '\n');
	}
	free(err);
	return found;
}

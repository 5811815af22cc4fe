// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cgroups.h"
#include "compare.h"
#include "kernel_said.h"
#include "nat_rule.h"
#include "peer_check.h"
#include "net.h"
#include "parse.h"
#include "scenario.h"
#include "summary.h"
#include "tracer.h"
#include "util.h"
#include "veth.h"

#define MAX_ARGS	24

int scenario_n_actors(const struct scenario *sc)
{
	int n = 0;

	while (n < MAX_ACTORS && sc->actors[n].comm)
		n++;
	return n;
}

/* an actor the next ones wait for until it is ready, and that ends last */
static bool is_server(const struct actor *a)
{
	return a->kind == TCP_SERVER || a->kind == IOU_SERVER || a->kind == UDP_RECEIVER ||
	       a->kind == DNS_SERVER || a->kind == DNS_TCP_SERVER;
}

/* in the leader: a fresh netns (and a far one), the actors forked and waiting, then the traffic */
static void __attribute__((noreturn))
lead(const struct scenario *sc, struct actor_run *run, int n, int info, int res, const int rdy[2],
     int go)
{
	const struct actor *a = sc->actors;
	int sinks[2 * MAX_ACTORS], n_sinks, status, far = -1;
	unsigned long long netns[2] = { 0, 0 };	/* the scenario's, the far one's */
	struct stat st;
	char b;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET)");
	loopback_up();
	if (sc->nat)
		nat_rule_add();
	blackhole_route();
	loopback_add6(a, n);
	if (stat("/proc/self/ns/net", &st))
		die("stat /proc/self/ns/net");
	netns[0] = st.st_ino;
	if (sc->veth) {
		far = veth_far_ns();
		if (fstat(far, &st))
			die("fstat the far namespace");
		netns[1] = st.st_ino;
	}
	udp_sinks(a, n, sinks, &n_sinks);
	if (sc->one_cpu) {
		cpu_set_t cpus;

		CPU_ZERO(&cpus);
		CPU_SET(0, &cpus);
		if (sched_setaffinity(0, sizeof(cpus), &cpus))
			die("sched_setaffinity CPU 0");
	}
	actor_results_fd = res;
	actor_ready_fd = rdy[1];
	for (int i = 0; i < n; i++) {
		run[i].pid = fork();
		if (run[i].pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (a[i].far && (far < 0 || setns(far, CLONE_NEWNET)))
				die("actor %d: into the far namespace", i);
			run_actor(&a[i], &run[i]);
		}
	}
	if (write(info, netns, sizeof(netns)) != sizeof(netns))
		die("write info");
	for (int i = 0; i < n; i++)
		if (write(info, &run[i].pid, sizeof(pid_t)) != sizeof(pid_t))
			die("write info");
	if (read(go, &b, 1) != 1)
		_exit(97);
	/* the traffic, in order: a server is listening before its clients go */
	for (int i = 0; i < n; i++) {
		if (write(run[i].go[1], "g", 1) != 1)
			die("go");
		if (is_server(&a[i])) {
			if (read(rdy[0], &b, 1) != 1)
				die("server ready");
		} else if (a[i].background) {
			continue;	/* waited for below */
		} else if (waitpid(run[i].pid, &status, 0) != run[i].pid ||
			   !WIFEXITED(status) || WEXITSTATUS(status)) {
			_exit(96);
		}
	}
	for (int i = 0; i < n; i++)
		if ((is_server(&a[i]) || a[i].background) &&
		    (waitpid(run[i].pid, &status, 0) != run[i].pid || !WIFEXITED(status) ||
		     WEXITSTATUS(status)))
			_exit(95);
	tcp_settle();
	if (far >= 0) {		/* the far ends' sockets too */
		if (setns(far, CLONE_NEWNET))
			die("setns into the far namespace");
		tcp_settle();
	}
	_exit(0);
}

/* socktrace's command line for sc */
static void tracer_argv(const struct scenario *sc, const struct run_opts *o,
			const struct actor_run *run, char **argv, char *pid1, size_t pid1_len)
{
	int argc = 0;

	argv[argc++] = (char *)o->socktrace;
	if (!sc->text)
		argv[argc++] = "--json";
	if (sc->summary)
		argv[argc++] = "--summary";
	if (sc->by_container) {
		argv[argc++] = "--by";
		argv[argc++] = "container";
	}
	for (int i = 0; i < 4 && sc->extra[i]; i++)
		argv[argc++] = (char *)sc->extra[i];
	argv[argc++] = "--backend";
	argv[argc++] = (char *)o->backend;
	snprintf(pid1, pid1_len, "%d", run[1].pid);
	for (int i = 0; sc->filter && i < 3 && sc->filter->args[i]; i++)
		argv[argc++] = strcmp(sc->filter->args[i], "@pid1") ? (char *)sc->filter->args[i]
								     : pid1;
	argv[argc] = NULL;
}

static void note_netns(const char *dir, const unsigned long long netns[2])
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/netns", dir);
	f = fopen(path, "w");
	if (f) {
		if (netns[1])
			fprintf(f, "%llu and %llu\n", netns[0], netns[1]);
		else
			fprintf(f, "%llu\n", netns[0]);
		fclose(f);
	}
}

/* what the filter keeps and the lost closes' port makes late */
static void expect_as_filtered(const struct scenario *sc, const struct actor_run *run,
			       struct evset *exp)
{
	for (int i = 0; sc->filter && i < exp->n; i++)
		if (!sc->filter->keep(&exp->e[i], run))
			exp->e[i--] = exp->e[--exp->n];
	for (int i = 0; sc->lose_close_port && i < exp->n; i++) {
		struct ev *c = &exp->e[i];

		if (!strcmp(c->event, "close") &&
		    (c->lport == sc->lose_close_port || c->rport == sc->lose_close_port)) {
			c->late = true;
			c->tx = c->rx = 0;
		}
	}
}

/* a server that only receives UDP: its flows are seen where the kernel lets socktrace */
static bool has_udp_receiver(const struct scenario *sc)
{
	for (int i = 0; i < scenario_n_actors(sc); i++)
		if (sc->actors[i].kind == UDP_RECEIVER)
			return true;
	return false;
}

/* a test seam's port for socktrace's environment (0: none) */
static void setenv_port(const char *name, unsigned port)
{
	char s[16];

	if (!port)
		return;
	snprintf(s, sizeof(s), "%u", port);
	setenv(name, s, 1);
}

/* the connects to port that happened */
static int connects_to(const struct evset *exp, unsigned port)
{
	int n = 0;

	for (int i = 0; i < exp->n; i++)
		n += !strcmp(exp->e[i].event, "connect") && exp->e[i].rport == port;
	return n;
}

/* socktrace's output against what happened */
static int check_output(const struct scenario *sc, const struct actor_run *run,
			const struct tracer *t, const unsigned long long netns[2], long long t0,
			long long t1, const struct evset *exp, struct evset *got, char *why, size_t len)
{
	char *out = slurp(t->out), *err;
	int rc;

	if (sc->overload) {
		err = slurp(t->err);
		rc = check_overload(sc, run, out, err, netns[0], t0, t1, exp, got, why, len);
		free(err);
	} else if (sc->summary) {
		rc = check_summary(sc, run, out, exp, exp, why, len);
	} else {
		if (sc->text)
			rc = parse_text(out, exp, got, why, len);
		else
			rc = parse_json(out, netns[0], netns[1], t0, t1, sc->io_workers, got, why,
					len);
		if (rc == 0)
			rc = compare(exp, got, why, len);
		if (rc == 0 && !sc->text)
			rc = check_peers(got, why, len);
		if (rc == 0 && !sc->nat)
			rc = check_no_nat(got, why, len);
		if (rc == 0 && sc->check)
			rc = sc->check(got, why, len);
		if (rc == 0 && sc->lose_return_port)
			rc = check_late_connects(t, connects_to(exp, sc->lose_return_port), why,
						 len);
	}
	free(out);
	if (rc)
		tracer_reports(t, why, len);
	return rc;
}

int run_scenario(const struct scenario *sc, const struct run_opts *o, const char *dir, char *why,
		 size_t len)
{
	int info[2], res[2], rdy[2], go[2];
	struct actor_run run[MAX_ACTORS] = {};
	int n = scenario_n_actors(sc);
	unsigned long long netns[2] = { 0, 0 };
	struct evset *exp = calloc(1, sizeof(*exp)), *got = calloc(1, sizeof(*got));
	struct tracer t = {};
	char *argv[MAX_ARGS], pid1[16], *err;
	int status, rc = -1, in_unseen;
	long long t0, t1;
	pid_t leader;
	struct ev e;

	if (sc->own) {
		free(exp);
		free(got);
		return o->traffic_only ? 0 : sc->own(o, dir, why, len);
	}
	/* close-on-exec: socktrace must not hold the results pipe open */
	if (pipe2(info, O_CLOEXEC) || pipe2(res, O_CLOEXEC) || pipe2(rdy, O_CLOEXEC) ||
	    pipe2(go, O_CLOEXEC))
		die("pipe");
	for (int i = 0; i < n; i++)
		if (pipe2(run[i].go, O_CLOEXEC))
			die("pipe");
	leader = fork();
	if (leader < 0)
		die("fork");
	if (leader == 0)
		lead(sc, run, n, info[1], res[1], rdy, go[0]);
	close(info[1]);
	close(res[1]);
	close(go[0]);
	if (read(info[0], netns, sizeof(netns)) != sizeof(netns))
		die("read info");
	for (int i = 0; i < n; i++)
		if (read(info[0], &run[i].pid, sizeof(pid_t)) != sizeof(pid_t))
			die("read info");
	note_netns(dir, netns);

	/* socktrace, with the scenario's options */
	tracer_argv(sc, o, run, argv, pid1, sizeof(pid1));
	t0 = epoch_ns();
	if (o->traffic_only) {
		if (write(go[1], "g", 1) != 1)
			die("go");
		while (read(res[0], &e, sizeof(e)) == (ssize_t)sizeof(e))
			;
		if (waitpid(leader, &status, 0) != leader || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			snprintf(why, len, "the traffic failed (leader status %d)", status);
			goto out;
		}
		leader = 0;
		for (int i = 0; i < n; i++)
			printf("actor %d %s\n", run[i].pid, sc->actors[i].comm);
		rc = 0;
		goto out;
	}
	setenv_port("SOCKTRACE_TEST_LOSE_CLOSE_PORT", sc->lose_close_port);
	setenv_port("SOCKTRACE_TEST_LOSE_RETURN_PORT", sc->lose_return_port);
	rc = tracer_start(&t, dir, argv, why, len);
	unsetenv("SOCKTRACE_TEST_LOSE_CLOSE_PORT");
	unsetenv("SOCKTRACE_TEST_LOSE_RETURN_PORT");
	if (rc)
		goto out;
	rc = -1;
	err = slurp(t.err);
	if (o->expect_backend) {
		char want[64];

		snprintf(want, sizeof(want), "tracing with the %s backend", o->expect_backend);
		if (!strstr(err, want)) {
			snprintf(why, len, "expected the %s backend, socktrace said: %.200s",
				 o->expect_backend, err);
			free(err);
			goto out;
		}
	}
	backend_said(err);
	in_unseen = has_udp_receiver(sc) ? udp_in_unseen(err, why, len) : 0;
	free(err);
	if (in_unseen < 0)
		goto out;
	while (o->hang)		/* until the runner's time limit kills it all */
		pause();

	/* the traffic, and what it must have produced */
	if (sc->overload)	/* stall the consumer: the ring buffer must fill */
		kill(t.pid, SIGSTOP);
	if (write(go[1], "g", 1) != 1)
		die("go");
	/* the actors' reports, until the last of them exits */
	while (read(res[0], &e, sizeof(e)) == (ssize_t)sizeof(e))
		evset_add(exp, &e);
	if (waitpid(leader, &status, 0) != leader || !WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(why, len, "the traffic failed (leader status %d)", status);
		goto out;
	}
	leader = 0;
	if (sc->overload)	/* the consumer stalled through the storm: now it may read */
		kill(t.pid, SIGCONT);
	expect_as_filtered(sc, run, exp);
	if (in_unseen)
		expect_no_udp_in(exp);
	usleep(100000);
	if (tracer_stop(&t, why, len))
		goto out;
	t1 = epoch_ns();
	rc = check_output(sc, run, &t, netns, t0, t1, exp, got, why, len);
out:
	if (leader > 0) {
		kill(leader, SIGKILL);
		waitpid(leader, NULL, 0);
	}
	tracer_cleanup(&t);
	for (int i = 0; i < n; i++)
		if (sc->actors[i].cgroup) {	/* the actors are gone, and socktrace */
			live_cgroups_remove();
			break;
		}
	free(exp);
	free(got);
	close(info[0]);
	close(res[0]);
	close(go[1]);
	close(rdy[0]);
	close(rdy[1]);
	for (int i = 0; i < n; i++) {
		close(run[i].go[0]);
		close(run[i].go[1]);
	}
	return rc;
}

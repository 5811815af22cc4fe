// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live scenarios: sockets that exist before socktrace starts (its
 * snapshot, bpf/iter.bpf.c), each reported once, and their closes after.
 * Every backend: the snapshot's iterators are the same programs on each.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../jsonl.h"
#include "existing_world.h"
#include "scenario.h"
#include "tracer.h"
#include "util.h"

#define MAX_LINES	4096

/* one reported event of the world's namespace, as the checks read it */
struct got {
	char event[8], state[16], pids[128];
	unsigned pid, lport, rport;
	unsigned long long tx, rx;
	bool existing, lower_bound, late;
};

struct gotset {
	struct got g[MAX_LINES];
	int n;
};

static const char *str_of(const struct jl_object *o, const char *key)
{
	const struct jl_member *m = jl_get(o, key);

	return m && m->type == JL_STR ? m->str : "";
}

static unsigned long long num_of(const struct jl_object *o, const char *key)
{
	const struct jl_member *m = jl_get(o, key);

	return m && m->type == JL_NUM ? m->u : 0;
}

static bool bool_of(const struct jl_object *o, const char *key)
{
	const struct jl_member *m = jl_get(o, key);

	return m && m->type == JL_BOOL && m->u;
}

/* socktrace's --json lines of namespace netns: 0, or -1 with why */
static int read_events(const char *path, unsigned long long netns, struct gotset *s, char *why,
		       size_t len)
{
	static struct jl_object o;
	char *out = slurp(path), line[4096], err[128];
	const char *p = out;

	s->n = 0;
	while (*p) {
		p = next_line(p, line, sizeof(line));
		if (!line[0])
			continue;
		if (jl_parse(line, &o, err, sizeof(err))) {
			snprintf(why, len, "bad JSON (%s): %.200s", err, line);
			free(out);
			return -1;
		}
		if (num_of(&o, "netns") != netns)
			continue;
		if (s->n == MAX_LINES) {
			snprintf(why, len, "more than %d events", MAX_LINES);
			free(out);
			return -1;
		}
		struct got *g = &s->g[s->n++];
		const struct jl_member *pids = jl_get(&o, "pids");

		memset(g, 0, sizeof(*g));
		copy_str(g->event, sizeof(g->event), str_of(&o, "event"));
		copy_str(g->state, sizeof(g->state), str_of(&o, "state"));
		copy_str(g->pids, sizeof(g->pids), pids && pids->type == JL_ARRAY ? pids->raw : "");
		g->pid = (unsigned)num_of(&o, "pid");
		g->lport = (unsigned)num_of(&o, "lport");
		g->rport = (unsigned)num_of(&o, "rport");
		g->tx = num_of(&o, "tx_bytes");
		g->rx = num_of(&o, "rx_bytes");
		g->existing = bool_of(&o, "existing");
		g->lower_bound = bool_of(&o, "duration_lower_bound");
		g->late = bool_of(&o, "late");
	}
	free(out);
	return 0;
}

static void got_str(const struct got *g, char *buf, size_t len)
{
	snprintf(buf, len, "%s pid=%u %u->%u%s%s%s%s tx=%llu rx=%llu%s%s", g->event, g->pid,
		 g->lport, g->rport, g->existing ? " existing" : "", g->state[0] ? " " : "",
		 g->state, g->lower_bound ? " lower-bound" : "", g->tx, g->rx,
		 g->pids[0] ? " pids=" : "", g->pids);
}

/* exactly the expected lines, each once: 0, or -1 with what is missing and extra */
static int same_set(const char exp[][320], int n_exp, const struct gotset *s, char *why,
		    size_t len)
{
	bool used[MAX_LINES] = { false };
	size_t o = 0;
	char buf[320];

	why[0] = '\0';
	for (int i = 0; i < n_exp; i++) {
		int j;

		for (j = 0; j < s->n; j++) {
			got_str(&s->g[j], buf, sizeof(buf));
			if (!used[j] && !strcmp(buf, exp[i]))
				break;
		}
		if (j < s->n)
			used[j] = true;
		else if (o < len)
			o += (size_t)snprintf(why + o, len - o, "missing: %s; ", exp[i]);
	}
	for (int j = 0; j < s->n && o < len; j++)
		if (!used[j]) {
			got_str(&s->g[j], buf, sizeof(buf));
			o += (size_t)snprintf(why + o, len - o, "extra: %s; ", buf);
		}
	return why[0] ? -1 : 0;
}

/* socktrace --json in dir, until it traces; f1, f2: a filter option and its value, or NULL */
static int trace(struct tracer *t, const struct run_opts *o, const char *dir, const char *ports,
		 const char *f1, const char *f2, char *why, size_t len)
{
	char *argv[] = { (char *)o->socktrace, "--json", "-P", (char *)ports, "--backend",
			 (char *)o->backend, (char *)f1, (char *)f2, NULL };

	return tracer_start(t, dir, argv, why, len);
}

static int wait_world(pid_t leader, char *why, size_t len)
{
	int status;

	if (waitpid(leader, &status, 0) != leader || !WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(why, len, "the world failed (status %d)", status);
		return -1;
	}
	return 0;
}

/*
 * Before socktrace: a listener held by 3 processes, 2 connections between a
 * client and the server, a UDP socket, a connection left in CLOSE-WAIT.
 * Then: exactly those, existing, with their owners and states; the client
 * sends more and closes: each close carries bytes before + after.
 */
enum ex_filter { EX_ALL, EX_PID_CLIENT, EX_COMM_SERVER };

static int textbook(const struct run_opts *o, const char *dir, enum ex_filter filter, char *why,
		    size_t len)
{
	static struct gotset got;
	static char exp[16][320];
	struct tracer t = {};
	struct ex_world w;
	int go[2], n = 0, rc = -1;
	pid_t leader;
	char pids[64], client[16];
	bool srv = filter != EX_PID_CLIENT, cli = filter != EX_COMM_SERVER;

	if (pipe(go))
		die("pipe");
	ex_world_start(false, go[0], &w, &leader);
	close(go[0]);
	snprintf(client, sizeof(client), "%d", w.client);
	if (trace(&t, o, dir, "13000-13001", filter == EX_PID_CLIENT ? "-p" :
		  filter == EX_COMM_SERVER ? "-c" : NULL,
		  filter == EX_PID_CLIENT ? client : "ex-server", why, len))
		goto out;
	if (write(go[1], "g", 1) != 1)
		die("go");
	if (wait_world(leader, why, len))
		goto out;
	leader = 0;
	usleep(100000);
	if (tracer_stop(&t, why, len) || read_events(t.out, w.netns, &got, why, len))
		goto out;
	/*
	 * Each TCP socket the snapshot reports is claimed (no live open meets
	 * it here), and every claim is gone once it ends: the listener and 3
	 * accepts, 2 connects. From a map element iterator where the kernel
	 * loads one, else by bpf() deletes (user/source_snapshot.c).
	 */
	long long claims = tracer_said(&t, "socktrace: existing: the snapshot's %llu claims");

	if (claims != (srv ? 4 : 0) + (cli ? 2 : 0)) {
		snprintf(why, len, "socktrace emptied %lld of the snapshot's claims after it, not %d",
			 claims, (srv ? 4 : 0) + (cli ? 2 : 0));
		goto out;
	}
	/* the holders in the order the kernel walks tasks: by pid */
	pid_t h[3] = { w.server, w.workers[0], w.workers[1] };

	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++)
			if (h[j] < h[i]) {
				pid_t x = h[i];

				h[i] = h[j];
				h[j] = x;
			}
	/* by name, the workers (ex-worker) are left out of the listener's holders */
	if (filter == EX_COMM_SERVER)
		snprintf(pids, sizeof(pids), "[%d]", w.server);
	else
		snprintf(pids, sizeof(pids), "[%d,%d,%d]", h[0], h[1], h[2]);
#define EXP(want, ...) do { if (want) snprintf(exp[n++], sizeof(exp[0]), __VA_ARGS__); } while (0)
	EXP(srv, "listen pid=%d %u->0 existing LISTEN tx=0 rx=0 pids=%s",
	    filter == EX_COMM_SERVER ? w.server : h[0], EX_PORT, pids);
	EXP(srv, "udp pid=%d %u->0 existing UNCONN tx=0 rx=0 pids=[%d]", w.server, EX_UDP_PORT,
	    w.server);
	for (int i = 0; i < 3; i++) {
		const char *state = i == 2 ? "CLOSE-WAIT" : "ESTAB";

		EXP(srv, "accept pid=%d %u->%u existing %s tx=0 rx=0 pids=[%d]", w.server, EX_PORT,
		    w.ports[i], state, w.server);
		EXP(cli && i < 2, "connect pid=%d %u->%u existing ESTAB tx=0 rx=0 pids=[%d]",
		    w.client, w.ports[i], EX_PORT, w.client);
	}
	EXP(cli, "close pid=%d %u->%u existing lower-bound tx=%u rx=0", w.client, w.ports[0],
	    EX_PORT, EX_N1 + EX_N2);
	EXP(cli, "close pid=%d %u->%u existing lower-bound tx=%u rx=0", w.client, w.ports[1],
	    EX_PORT, EX_M1 + EX_M2);
	EXP(srv, "close pid=%d %u->%u existing lower-bound tx=0 rx=%u", w.server, EX_PORT,
	    w.ports[0], EX_N1 + EX_N2);
	EXP(srv, "close pid=%d %u->%u existing lower-bound tx=0 rx=%u", w.server, EX_PORT,
	    w.ports[1], EX_M1 + EX_M2);
	EXP(srv, "close pid=%d %u->%u existing lower-bound tx=0 rx=0", w.server, EX_PORT,
	    w.ports[2]);
#undef EXP
	rc = same_set((const char (*)[320])exp, n, &got, why, len);
out:
	if (leader > 0) {
		kill(leader, SIGKILL);
		waitpid(leader, NULL, 0);
	}
	tracer_cleanup(&t);
	close(go[1]);
	return rc;
}

static int run_textbook(const struct run_opts *o, const char *dir, char *why, size_t len)
{
	return textbook(o, dir, EX_ALL, why, len);
}

static int run_by_pid(const struct run_opts *o, const char *dir, char *why, size_t len)
{
	return textbook(o, dir, EX_PID_CLIENT, why, len);
}

static int run_by_comm(const struct run_opts *o, const char *dir, char *why, size_t len)
{
	return textbook(o, dir, EX_COMM_SERVER, why, len);
}

/* the storm's connection from client port p: what socktrace said of each side */
struct conn_count {
	unsigned opens_c, closes_c, opens_s, closes_s, existing, existing_c;
};

/*
 * A storm (EX_STORM_OPEN connections open at all times, and a pool open
 * throughout) runs while socktrace starts: each of its connections is
 * reported at most once, by the snapshot or live, never both; each reported
 * open has its close; every connection made once socktrace traced is
 * reported, and the pool's (the client's ends existing).
 */
static int run_storm(const struct run_opts *o, const char *dir, char *why, size_t len)
{
	static struct gotset got;
	static unsigned made[EX_STORM_MAX];
	static struct conn_count cnt[EX_STORM_MAX];
	struct tracer t = {};
	struct ex_world w;
	int go[2], res, rc = -1;
	unsigned n = 0, listens = 0;
	size_t got_bytes = 0;
	ssize_t k;
	pid_t leader;

	if (pipe(go))
		die("pipe");
	res = ex_world_start(true, go[0], &w, &leader);
	close(go[0]);
	if (trace(&t, o, dir, "13100", NULL, NULL, why, len))
		goto out;
	if (write(go[1], "g", 1) != 1)
		die("go");
	/* a pipe may hand over part of a record: count bytes */
	while (got_bytes < sizeof(made) &&
	       (k = read(res, (char *)made + got_bytes, sizeof(made) - got_bytes)) > 0)
		got_bytes += (size_t)k;
	n = (unsigned)(got_bytes / sizeof(made[0]));
	if (wait_world(leader, why, len))
		goto out;
	leader = 0;
	usleep(100000);
	if (tracer_stop(&t, why, len) || read_events(t.out, w.netns, &got, why, len))
		goto out;
	memset(cnt, 0, sizeof(cnt));
	for (int i = 0; i < got.n; i++) {
		const struct got *g = &got.g[i];
		bool client = g->rport == EX_STORM_PORT;
		unsigned port = client ? g->lport : g->rport, idx = port - EX_STORM_FROM;
		char buf[320];

		if (!strcmp(g->event, "listen") && g->existing && g->pid == (unsigned)w.server &&
		    g->lport == EX_STORM_PORT) {
			listens++;	/* the storm's listener, there before socktrace */
			continue;
		}
		if (g->pid != (unsigned)(client ? w.client : w.server) ||
		    (!client && g->lport != EX_STORM_PORT) || port < EX_STORM_FROM || idx >= n) {
			got_str(g, buf, sizeof(buf));
			snprintf(why, len, "an event of no storm connection (client %d, server %d, "
				 "%u connections made): %s", w.client, w.server, n, buf);
			goto out;
		}
		struct conn_count *c = &cnt[idx];
		bool close = !strcmp(g->event, "close");

		if (client)
			close ? c->closes_c++ : c->opens_c++;
		else
			close ? c->closes_s++ : c->opens_s++;
		if (g->existing && !close) {
			c->existing++;
			c->existing_c += client;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		const struct conn_count *c = &cnt[i];
		bool after = made[i] & EX_MADE_AFTER, pool = made[i] & EX_MADE_POOL;

		/* the pool's client ends connected before socktrace started: existing */
		if (c->opens_c > 1 || c->opens_s > 1 || c->closes_c != c->opens_c ||
		    c->closes_s != c->opens_s || ((after || pool) && (!c->opens_c || !c->opens_s)) ||
		    (pool && !c->existing_c)) {
			snprintf(why, len, "connection %u of %u (port %u, made %s socktrace traced%s, "
				 "%u existing): client %u opens %u closes, server %u opens %u closes",
				 i, n, made[i] & 0xffff, after ? "after" : "before",
				 pool ? ", of the pool" : "", c->existing,
				 c->opens_c, c->closes_c, c->opens_s, c->closes_s);
			goto out;
		}
	}
	if (listens != 1) {
		snprintf(why, len, "the storm's listener reported %u times, not once", listens);
		goto out;
	}
	rc = 0;
out:
	if (leader > 0) {
		kill(leader, SIGKILL);
		waitpid(leader, NULL, 0);
	}
	if (rc && t.pid == 0)	/* stopped: its stderr is whole */
		tracer_reports(&t, why, len);
	tracer_cleanup(&t);
	close(go[1]);
	close(res);
	return rc;
}

const struct scenario sc_existing_textbook = {
	.name = "existing_textbook",
	.what = "before start: a listener of 3 processes, 2 connections, UDP, a CLOSE-WAIT; "
		"then the closes carry bytes before + after",
	.own = run_textbook,
	.limit_s = 20,
};

const struct scenario sc_existing_by_pid = {
	.name = "existing_by_pid",
	.what = "the same world, -p the client: its existing connects and their closes only",
	.own = run_by_pid,
	.limit_s = 20,
};

const struct scenario sc_existing_by_comm = {
	.name = "existing_by_comm",
	.what = "the same world, -c ex-server: the server's sockets; the listener's holders "
		"without the workers",
	.own = run_by_comm,
	.limit_s = 20,
};

const struct scenario sc_existing_storm = {
	.name = "existing_storm",
	.what = "a storm while socktrace starts: each connection once, live or existing",
	.own = run_storm,
	.limit_s = 30,
};

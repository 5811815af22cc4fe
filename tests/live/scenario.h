/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: what a scenario is (its actors, socktrace's options, what is
 * checked), and running one in this process.
 */
#ifndef ST_LIVE_SCENARIO_H
#define ST_LIVE_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include "actor.h"
#include "ev.h"

struct run_opts;

/* a filter: socktrace options, and which expected events they keep */
struct filter {
	const char *args[3];	/* "@pid1" stands for the pid of the scenario's second actor */
	bool (*keep)(const struct ev *e, const struct actor_run *run);
};

struct scenario {
	const char *name;
	const char *what;
	struct actor actors[MAX_ACTORS];	/* up to the first without a comm */
	const struct filter *filter;	/* NULL: everything is expected */
	bool text;		/* check the plain text stream instead of --json */
	bool summary;		/* check the --summary rows of the actors instead */
	bool by_container;	/* with summary: --by container, each container's row summed */
	const char *extra[4];	/* more socktrace options */
	bool overload;		/* socktrace is stopped through the traffic: check drops */
	/*
	 * Closes on this port are to be lost (SOCKTRACE_TEST_LOSE_CLOSE_PORT):
	 * each is expected late, with no byte counts, once the socket's memory
	 * begins another connection.
	 */
	unsigned lose_close_port;
	/*
	 * The kprobe backend's tcp_connect() returns to this port are to be
	 * lost (SOCKTRACE_TEST_LOSE_RETURN_PORT): the connects are expected all
	 * the same, and counted late at exit (only on kprobe).
	 */
	unsigned lose_return_port;
	/*
	 * The actors' io_uring requests may run in io-wq worker threads: an
	 * event's tid may be a thread of its process (pid and comm are still
	 * the process's, checked exactly).
	 */
	bool io_workers;
	bool one_cpu;		/* every actor on CPU 0 (a freed socket is reused there) */
	/*
	 * A DNAT rule in the scenario's namespace (nat_rule.h). Without it, an
	 * event with the real destination's keys is a failure.
	 */
	bool nat;
	/*
	 * A second ("far") network namespace joined to the scenario's by a veth
	 * pair (veth.h: VETH_NEAR here, VETH_FAR there): the actors marked far
	 * run in it, and its events are the scenario's too.
	 */
	bool veth;
	/* a check of its own, once the reported events are the expected ones:
	 * 0, or -1 with why */
	int (*check)(const struct evset *got, char *why, size_t len);
	/*
	 * A scenario that runs itself (its world exists before socktrace
	 * starts: sc_existing.c): no actors; 0, or -1 with why.
	 */
	int (*own)(const struct run_opts *o, const char *dir, char *why, size_t len);
	/* seconds it may take on a quiet native machine; 0: sized from what it
	 * does (scenario_limit_s()) */
	unsigned limit_s;
	/*
	 * The first Linux release with what the scenario tests ({5, 19}); on
	 * an older kernel it is not run and is said to be not applicable, by
	 * name, apart from passes and failures. {0, 0}: any kernel.
	 */
	unsigned since[2];
};

/* how scenarios are run: the command line's choices */
struct run_opts {
	const char *socktrace;		/* the binary under test */
	const char *backend;		/* socktrace --backend */
	const char *expect_backend;	/* NULL, or the backend socktrace must say it uses */
	bool traffic_only;		/* make the traffic, no socktrace */
	bool hang;			/* block forever once socktrace traces (a test of the runner) */
};

int scenario_n_actors(const struct scenario *sc);

/*
 * Run sc here, socktrace's files and the scenario's notes in dir: 0 if
 * socktrace reported exactly what happened, or -1 with why. Writes the
 * scenario's network namespace (its inode; then the far one's, if any) to
 * dir/netns once it exists.
 */
/* the backend socktrace said it traces with in the scenario running now ("" before) */
extern char live_backend[16];

int run_scenario(const struct scenario *sc, const struct run_opts *o, const char *dir, char *why,
		 size_t len);

#endif

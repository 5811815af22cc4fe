/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: a world of sockets made before socktrace starts (sc_existing.c),
 * in a private network namespace: its processes, and what they report.
 */
#ifndef ST_LIVE_EXISTING_WORLD_H
#define ST_LIVE_EXISTING_WORLD_H

#include <stdbool.h>
#include <sys/types.h>

#define EX_PORT		13000	/* the listener */
#define EX_UDP_PORT	13001
#define EX_STORM_PORT	13100
#define EX_STORM_FROM	20000	/* the storm's client ports: EX_STORM_FROM + i */
#define EX_STORM_MAX	20000	/* connections at most (one local port each) */
#define EX_STORM_OPEN	20	/* the storm keeps this many open at once */
#define EX_STORM_POOL	10	/* and these, its first, open from before socktrace to its end */
#define EX_MADE_AFTER	(1u << 31)	/* a storm port's flag: made once socktrace traced */
#define EX_MADE_POOL	(1u << 30)	/* one of the pool */
#define EX_STORM_AFTER	300	/* connections made once socktrace traces */
#define EX_STORM_PACE_US 250	/* until then, at most one new connection in this time */
#define EX_N1		1000	/* client bytes on connection 1 before socktrace starts */
#define EX_N2		700	/* and after */
#define EX_M1		300	/* the same on connection 2 */
#define EX_M2		2000

/* what the world tells the test, once it is built */
struct ex_world {
	unsigned long long netns;
	pid_t server, workers[2], client;
	unsigned ports[3];	/* the client's local ports: 2 established, 1 left in CLOSE-WAIT */
	unsigned storm_made;	/* the storm: connections made before socktrace traced */
};

/*
 * Fork the world's leader in a new network namespace: the textbook (storm
 * false) or the storm. It fills w once built and waits for the go byte on
 * go_fd (the test writes it once socktrace traces). *leader: its pid.
 * Returns a pipe to read the storm's ports from (storm), or -1.
 */
int ex_world_start(bool storm, int go_fd, struct ex_world *w, pid_t *leader);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: the --summary row each actor's process must have (summary.c), and their sums per container (summary_by.c). */
#ifndef ST_LIVE_SUMMARY_ROWS_H
#define ST_LIVE_SUMMARY_ROWS_H

#include <stddef.h>
#include "actor.h"
#include "scenario.h"

struct want_row {
	unsigned pid;
	char comm[17];
	unsigned long long connects, accepts, fails, closes, udp_flows, udp_packets, peers, tx, rx;
	unsigned long long udp_in_flows, udp_rx_packets, udp_rx_bytes;
	unsigned long long unmatched;	/* the row's udp_rx_unmatched */
	char ports[64];		/* "[12000]" */
	int seen;
};

/*
 * --summary --by container: the rows of the actors' containers, each the
 * sum of its processes' rows w (n of them), field by field; an actor's
 * container is the ctr= of its who. 0, or -1 with why.
 */
int check_by_container(const struct scenario *sc, const struct actor_run *run, const char *text,
		       const struct want_row *w, int n, char *why, size_t len);

#endif

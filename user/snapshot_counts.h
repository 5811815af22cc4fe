/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the snapshot of existing sockets found: for --summary and the exit report. */
#ifndef ST_SNAPSHOT_COUNTS_H
#define ST_SNAPSHOT_COUNTS_H

#include <stdbool.h>
#include <linux/types.h>
#include "socktrace.h"

struct st_snapshot_counts {
	bool done;
	unsigned long long kinds[ST_EV_MAX];		/* reported, by enum st_event_type */
	unsigned long long tcp[ST_TCP_STATES];		/* reported TCP sockets, by state */
	unsigned long long udp[2];			/* reported UDP: [0] UNCONN, [1] ESTAB */
	unsigned long long unheld_tcp[ST_TCP_STATES];	/* held by no process, by state */
	unsigned long long unheld_udp;
	unsigned long long full;	/* left out: a map of the snapshot was full */
	unsigned netns;			/* network namespaces walked */
	unsigned netns_failed;		/* found but not entered */
	long long took_ns;
	bool claims_done;		/* the claims map was emptied after the snapshot */
	bool claims_in_kernel;		/* ... by a map element iterator, no bpf() delete */
	unsigned long long claims_emptied;	/* claims it held then (live and snapshot) */
};

#endif

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: what socktrace says of the kernel it runs on (the backend it
 * chose, received UDP unseen), checked against the kernel; and what no
 * event may claim where nothing made it so (a NAT).
 */
#include <stdio.h>
#include <string.h>
#include "kernel_said.h"
#include "scenario.h"
#include "util.h"

char live_backend[16];

/* the backend socktrace's stderr (err) says it traces with, into live_backend */
void backend_said(const char *err)
{
	const char *at = strstr(err, "tracing with the ");

	live_backend[0] = '\0';
	if (at)
		sscanf(at, "tracing with the %15s backend", live_backend);
}

/* where nothing rewrote a destination, no event may claim a real one */
int check_no_nat(const struct evset *got, char *why, size_t len)
{
	for (int i = 0; i < got->n; i++)
		if (got->e[i].nat_rport) {
			char a[256];

			ev_str(&got->e[i], a, sizeof(a));
			snprintf(why, len, "%s: nat=%s:%u where no NAT rule is", a,
				 got->e[i].nat_raddr, got->e[i].nat_rport);
			return -1;
		}
	return 0;
}

/*
 * Received UDP is not seen by the tracepoint backend before Linux 6.3 (no
 * sock:sock_recv_length), and socktrace must say so at start, then, and
 * only then: 1 if not seen, 0 if seen, -1 with why when socktrace's word
 * and the kernel disagree.
 */
int udp_in_unseen(const char *err, char *why, size_t len)
{
	bool tp = strstr(err, "tracing with the tracepoint backend") != NULL;
	bool said = strstr(err, "received UDP is not seen") != NULL;
	bool unseen = tp && !kernel_at_least(6, 3);

	if (said != unseen) {
		snprintf(why, len, "received UDP should be %s here, socktrace said: %.300s",
			 unseen ? "unseen (tracepoint backend before 6.3)" : "seen", err);
		return -1;
	}
	return unseen;
}

/* without sock:sock_recv_length (udp_in_unseen()) no flow of a receiver is reported */
void expect_no_udp_in(struct evset *exp)
{
	for (int i = 0; i < exp->n; i++)
		if (!strcmp(exp->e[i].event, "udp") && !strcmp(exp->e[i].dir, "in"))
			exp->e[i--] = exp->e[--exp->n];
}

int check_late_connects(const struct tracer *t, int n, char *why, size_t len)
{
	long long said = tracer_said(t, "socktrace: %llu connects were reported when their socket "
				     "left SYN_SENT");
	long long want = strcmp(live_backend, "kprobe") ? -1 : n;

	if (said == want)
		return 0;
	snprintf(why, len, "socktrace counted %lld connects reported late (-1: none), expected "
		 "%lld (%s backend)", said, want, live_backend);
	return -1;
}

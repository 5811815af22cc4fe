// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* st-live scenarios: connects that fail, resets, and closes socktrace misses */
#include <stdio.h>
#include <string.h>
#include "shorthand.h"

/*
 * A connect that hangs is shown while it hangs: its event is streamed when
 * the SYN leaves, before the datagram another actor sends 1 s into the 2-3 s
 * the kernel takes to give up (the stream is in the order the events were made).
 */
static int check_streamed_while_hanging(const struct evset *got, char *why, size_t len)
{
	int c = -1, u = -1;

	for (int i = 0; i < got->n; i++) {
		if (!strcmp(got->e[i].event, "connect") && c < 0)
			c = i;
		else if (!strcmp(got->e[i].event, "udp") && u < 0)
			u = i;
	}
	if (c >= 0 && u >= 0 && c < u)
		return 0;
	snprintf(why, len, "the hanging connect was streamed after the datagram sent "
		 "1 s later (connect at line %d, udp at line %d)", c + 1, u + 1);
	return -1;
}

static bool keep_close(const struct ev *e, const struct actor_run *run)
{
	(void)run;
	return !strcmp(e->event, "close");
}

/* a connection on 12777, then 40 on 12000 that reuse its sockets (on CPU 0) */
#define LATE_ACTORS \
	{ .kind = TCP_SERVER, .family = AF_INET, .addr = "127.0.0.1", .port = 12777, \
	  .count = 1, .comm = "st-lost" }, \
	{ .kind = TCP_CLIENT, .family = AF_INET, .addr = "127.0.0.1", .port = 12777, \
	  .comm = "st-lost" }, \
	{ .kind = TCP_SERVER, .family = AF_INET, .addr = "127.0.0.1", .port = 12000, \
	  .count = 40, .comm = "st-reuse" }, \
	{ .kind = TCP_STORM, .family = AF_INET, .addr = "127.0.0.1", .port = 12000, \
	  .count = 40, .comm = "st-reuse" }

const struct scenario sc_tcp_refused = {
	.name = "tcp_refused",
	.what = "a connect to a closed port: connect, then fail (refused)",
	.actors = { REFUSED(AF_INET, "127.0.0.1", 12999), REFUSED(AF_INET6, "::1", 12999) },
};

const struct scenario sc_tcp_timeout = {
	.name = "tcp_timeout",
	.what = "a connect whose SYN goes nowhere: connect, then fail (timeout) after ~3 s; "
		"the connect is streamed while it hangs (before a datagram sent 1 s in)",
	.actors = { UDPLATE(AF_INET, "127.0.0.1", 9003, 1000), TIMEOUT("192.0.2.1", 12999) },
	.check = check_streamed_while_hanging,
};

const struct scenario sc_reset_before_accept = {
	.name = "reset_before_accept",
	.what = "3 connections reset by the client before the server accepts them: connect, "
		"accept and both closes each",
	.actors = { { .kind = TCP_SERVER, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
		      .count = 3, .comm = "st-server", .gap_ms = 500 },
		    { .kind = TCP_RESETTER, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
		      .count = 3, .comm = "st-resetter" } },
};

const struct scenario sc_connect_return_lost = {
	.name = "connect_return_lost",
	.what = "3 connects whose tcp_connect() returns the kprobe backend is made to miss "
		"(SOCKTRACE_TEST_LOSE_RETURN_PORT=12778), 1 not: all reported, the 3 as their "
		"sockets leave SYN_SENT, and counted so at exit (kprobe; other backends: as usual)",
	.actors = { SRVB(AF_INET, "127.0.0.1", 12778, 3, 0, 5), SRV(AF_INET, "127.0.0.1", 12000, 1),
		    CLIB(AF_INET, "127.0.0.1", 12778, 5, 0), CLIB(AF_INET, "127.0.0.1", 12778, 5, 0),
		    CLIB(AF_INET, "127.0.0.1", 12778, 5, 0), CLI(AF_INET, "127.0.0.1", 12000) },
	.lose_return_port = 12778,
};

const struct scenario sc_late_close = {
	.name = "late_close",
	.what = "two closes socktrace is made to miss (SOCKTRACE_TEST_LOSE_CLOSE_PORT=12777) go "
		"out late, marked, once the kernel reuses their sockets for the 40 connections "
		"that follow",
	.actors = { LATE_ACTORS },
	.lose_close_port = 12777,
	.one_cpu = true,
};

const struct scenario sc_late_close_only = {
	.name = "late_close_only",
	.what = "the same with --events close: the opens are not streamed, the late closes "
		"still are, in the opens' network namespace",
	.actors = { LATE_ACTORS },
	.filter = &(const struct filter){ { "--events", "close" }, keep_close },
	.lose_close_port = 12777,
	.one_cpu = true,
};

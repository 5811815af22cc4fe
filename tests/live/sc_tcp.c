// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* st-live scenarios: TCP connections, their opens and closes with byte counts */
#include "shorthand.h"

const struct scenario sc_tcp4_textbook = {
	.name = "tcp4_textbook",
	.what = "server on 127.0.0.1:12000, 3 clients: 3 connects, 3 accepts",
	.actors = { SRV(AF_INET, "127.0.0.1", 12000, 3), CLI(AF_INET, "127.0.0.1", 12000),
		    CLI(AF_INET, "127.0.0.1", 12000), CLI(AF_INET, "127.0.0.1", 12000) },
};

const struct scenario sc_tcp6_textbook = {
	.name = "tcp6_textbook",
	.what = "the same over ::1",
	.actors = { SRV(AF_INET6, "::1", 12000, 3), CLI(AF_INET6, "::1", 12000),
		    CLI(AF_INET6, "::1", 12000), CLI(AF_INET6, "::1", 12000) },
};

const struct scenario sc_tcp_v4mapped = {
	.name = "tcp_v4mapped",
	.what = "a v6 socket to ::ffff:127.0.0.1 is shown as IPv4",
	.actors = { SRV(AF_INET6, "::", 12000, 1), CLI(AF_INET6, "::ffff:127.0.0.1", 12000) },
};

const struct scenario sc_tcp_bytes = {
	.name = "tcp_bytes",
	.what = "1000 bytes one way, 2500 back: both close events say so exactly",
	.actors = { SRVB(AF_INET, "127.0.0.1", 12000, 1, 2500, 1000),
		    CLIB(AF_INET, "127.0.0.1", 12000, 1000, 2500) },
};

const struct scenario sc_tcp_bytes6 = {
	.name = "tcp_bytes6",
	.what = "the same over IPv6, 3 clients, 100000 bytes each way",
	.actors = { SRVB(AF_INET6, "::1", 12000, 3, 100000, 100000),
		    CLIB(AF_INET6, "::1", 12000, 100000, 100000),
		    CLIB(AF_INET6, "::1", 12000, 100000, 100000),
		    CLIB(AF_INET6, "::1", 12000, 100000, 100000) },
};

/*
 * Two servers wait in accept() at once: on a kernel that bounds return
 * probes by its CPUs (5.10, 1-CPU VM) a kretprobe on inet_csk_accept() lost
 * one of the accepts (the kprobe backend now probes security_sock_graft()).
 */
const struct scenario sc_tcp_two_waiting = {
	.name = "tcp_two_waiting",
	.what = "two servers waiting in accept() at once, a client each: both accepts",
	.actors = { SRV(AF_INET, "127.0.0.1", 12000, 1), SRV(AF_INET, "127.0.0.1", 12001, 1),
		    CLI(AF_INET, "127.0.0.1", 12001), CLI(AF_INET, "127.0.0.1", 12000) },
};

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live scenarios: connects that fail before any SYN leaves. Each is one
 * fail event, on the calling process, with the destination it asked for and
 * the errno as reason; no connect event.
 */
#include "shorthand.h"

/* nothing routes TEST-NET-2 (198.51.100.0/24) or 2001:db8::/32 in the scenario's namespace */
#define NOROUTE(fam, ip, p, udp) \
	{ .kind = FAIL_NO_ROUTE, .family = fam, .addr = ip, .port = p, .count = udp, \
	  .comm = "st-noroute" }

const struct scenario sc_fail_no_route = {
	.name = "fail_no_route",
	.what = "connects with no route (TCP and UDP, v4 and v6): fail unreachable, no connect",
	.actors = { NOROUTE(AF_INET, "198.51.100.1", 12999, 0),
		    NOROUTE(AF_INET6, "2001:db8::1", 12999, 0),
		    NOROUTE(AF_INET, "198.51.100.1", 9053, 1),
		    NOROUTE(AF_INET6, "2001:db8::1", 9053, 1) },
};

const struct scenario sc_fail_no_port = {
	.name = "fail_no_port",
	.what = "the namespace's 4 local ports held by connections, one connect more: "
		"fail EADDRNOTAVAIL with the asked-for destination, no connect to port 0",
	.actors = { { .kind = FAIL_NO_PORT, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
		      .comm = "st-noport" } },
};

const struct scenario sc_fail_denied = {
	.name = "fail_denied",
	.what = "connects refused by a cgroup connect4/connect6 program (TCP and UDP, v4 and "
		"v6): fail EPERM, no connect",
	.actors = { { .kind = FAIL_DENIED, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
		      .comm = "st-denied" },
		    { .kind = FAIL_DENIED, .family = AF_INET6, .addr = "::1", .port = 12000,
		      .comm = "st-denied6" } },
};

const struct scenario sc_fail_bad_arg = {
	.name = "fail_bad_arg",
	.what = "connects refused as EINVAL: a sockaddr_in of 8 bytes (its address all there), "
		"an IPv4 address to a v6 socket: fail EINVAL with that destination, no connect",
	.actors = { { .kind = FAIL_BAD_ARG, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
		      .comm = "st-badarg" },
		    { .kind = FAIL_BAD_ARG, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
		      .count = 1, .comm = "st-badarg6" } },
};

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* st-live scenarios: --summary rows, and the counts that stay exact under overload */
#include "shorthand.h"

const struct scenario sc_overload = {
	.name = "overload",
	.what = "consumer stalled, 4K ring buffer, 400 connects: drops counted exactly",
	.actors = { { .kind = TCP_SERVER, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
		      .count = 400, .comm = "st-storm" },
		    { .kind = TCP_STORM, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
		      .count = 400, .comm = "st-storm" } },
	.summary = true,
	.extra = { "--stream", "--buffer-size=4096", "--comm=st-storm" },
	.overload = true,
};

const struct scenario sc_summary_textbook = {
	.name = "summary_textbook",
	.what = "--summary: the server's row has 4 accepts from 3 peers (hosts), port 12000",
	.actors = { SRVB(AF_INET, "127.0.0.1", 12000, 4, 10, 20),
		    CLIB(AF_INET, "127.0.0.1", 12000, 20, 10),
		    CLIBS(AF_INET, "127.0.0.1", 12000, 20, 10, "127.0.0.2"),
		    CLIBS(AF_INET, "127.0.0.1", 12000, 20, 10, "127.0.0.3"),
		    CLIBS(AF_INET, "127.0.0.1", 12000, 20, 10, "127.0.0.3") },
	.summary = true,
};

const struct scenario sc_summary_mixed = {
	.name = "summary_mixed",
	.what = "--summary: UDP packets and bytes, a failure, IPv6",
	.actors = { SRVB(AF_INET6, "::1", 12000, 1, 300, 200),
		    CLIB(AF_INET6, "::1", 12000, 200, 300), REFUSED(AF_INET, "127.0.0.1", 12999),
		    UDPC(AF_INET, "127.0.0.1", 9003, 100), UDPU(AF_INET6, "::1", 9001, 9002, 50) },
	.summary = true,
};

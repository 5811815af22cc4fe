// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* st-live scenarios: UDP flows, unconnected and connected, and their idle timeout */
#include <stdio.h>
#include "shorthand.h"

/* one socket, one identity: the two flows of an unconnected UDP socket */
static int check_one_cookie(const struct evset *got, char *why, size_t len)
{
	if (got->n == 2 && got->e[0].cookie == got->e[1].cookie && got->e[0].cookie)
		return 0;
	snprintf(why, len, "the two flows of one socket have cookies %llu and %llu",
		 got->e[0].cookie, got->n > 1 ? got->e[1].cookie : 0);
	return -1;
}

const struct scenario sc_udp_unconnected = {
	.name = "udp_unconnected",
	.what = "one socket, sendto 2 destinations x100: 2 udp events",
	.actors = { UDPU(AF_INET, "127.0.0.1", 9001, 9002, 100) },
	.check = check_one_cookie,
};

const struct scenario sc_udp_connected = {
	.name = "udp_connected",
	.what = "a connected UDP socket, 100 datagrams: 1 udp event",
	.actors = { UDPC(AF_INET, "127.0.0.1", 9003, 100) },
};

const struct scenario sc_udp6 = {
	.name = "udp6",
	.what = "IPv6 UDP, unconnected and connected",
	.actors = { UDPU(AF_INET6, "::1", 9001, 9002, 20), UDPC(AF_INET6, "::1", 9003, 20) },
};

const struct scenario sc_udp_idle = {
	.name = "udp_idle",
	.what = "--udp-idle 1: a flow idle for 2.5 s is reported again",
	.actors = { UDPGAP(AF_INET, "127.0.0.1", 9003, 3, 2500) },
	.extra = { "--udp-idle=1" },
};

const struct scenario sc_udp_idle_summary = {
	.name = "udp_idle_summary",
	.what = "--summary, --udp-idle 1: the flow begun again counts its own 3 datagrams, not 6",
	.actors = { UDPGAP(AF_INET, "127.0.0.1", 9003, 3, 2500) },
	.extra = { "--udp-idle=1" },
	.summary = true,
};

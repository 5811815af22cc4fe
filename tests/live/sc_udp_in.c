// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live scenarios: UDP a process receives. Each server reads exactly what
 * its senders sent; its flows are "in" udp events (one per source, folded
 * per address past the bound), and --summary counts every datagram read
 * once, a MSG_PEEK never.
 */
#include <string.h>
#include "shorthand.h"

static bool keep_server(const struct ev *e, const struct actor_run *run)
{
	(void)run;
	return !strcmp(e->comm, "st-udp-srv");
}

static const struct filter only_server = { { "--comm", "st-udp-srv" }, keep_server };

const struct scenario sc_udp_in = {
	.name = "udp_in",
	.what = "a receive-only server, read(), 3 clients x100: 3 in flows, 3 out",
	.actors = { UDPRX(AF_INET, "127.0.0.1", 9100, 300, RECV_READ),
		    UDPS(AF_INET, "127.0.0.1", 9100, 100), UDPS(AF_INET, "127.0.0.1", 9100, 100),
		    UDPS(AF_INET, "127.0.0.1", 9100, 100) },
};

const struct scenario sc_udp_in_summary = {
	.name = "udp_in_summary",
	.what = "--summary: the server's 300 datagrams and bytes received, 3 in flows",
	.actors = { UDPRX(AF_INET, "127.0.0.1", 9100, 300, 0),
		    UDPS(AF_INET, "127.0.0.1", 9100, 100), UDPS(AF_INET, "127.0.0.1", 9100, 100),
		    UDPS(AF_INET, "127.0.0.1", 9100, 100) },
	.summary = true,
};

const struct scenario sc_udp_in_mmsg = {
	.name = "udp_in_mmsg",
	.what = "IPv6, recvmmsg() 8 at a time: every datagram counted once",
	.actors = { UDPRX(AF_INET6, "::1", 9100, 150, RECV_MMSG),
		    UDPS(AF_INET6, "::1", 9100, 75), UDPS(AF_INET6, "::1", 9100, 75) },
	.summary = true,
};

/* two servers reading through IORING_OP_RECV, the second's reads in an io-wq worker */
#define IOU_RECEIVERS									\
	{ .kind = UDP_RECEIVER, .family = AF_INET, .addr = "127.0.0.1", .port = 9100,	\
	  .count = 100, .recv = RECV_IOU, .comm = "st-udp-srv" },			\
	{ .kind = UDP_RECEIVER, .family = AF_INET6, .addr = "::1", .port = 9101,		\
	  .count = 100, .recv = RECV_IOU, .iou = IOU_ASYNC, .comm = "st-udp-srv" },	\
	UDPS(AF_INET, "127.0.0.1", 9100, 100), UDPS(AF_INET6, "::1", 9101, 100)

const struct scenario sc_udp_in_iouring = {
	.name = "udp_in_iouring",
	.what = "IORING_OP_RECV, half of the reads in an io-wq worker: every datagram once",
	.actors = { IOU_RECEIVERS },
	.io_workers = true,
	.summary = true,
};

const struct scenario sc_udp_in_iouring_stream = {
	.name = "udp_in_iouring_stream",
	.what = "IORING_OP_RECV, in an io-wq worker too: the in flows, on the server's pid",
	.actors = { IOU_RECEIVERS },
	.io_workers = true,
};

const struct scenario sc_udp_in_peek = {
	.name = "udp_in_peek",
	.what = "MSG_PEEK twice before each recv(): each datagram counted once",
	.actors = { UDPRX(AF_INET, "127.0.0.1", 9100, 100, RECV_PEEK),
		    UDPS(AF_INET, "127.0.0.1", 9100, 60), UDPS(AF_INET, "127.0.0.1", 9100, 40) },
	.summary = true,
};

const struct scenario sc_udp_in_peek_stream = {
	.name = "udp_in_peek_stream",
	.what = "MSG_PEEK: the same two in flows as without it",
	.actors = { UDPRX(AF_INET, "127.0.0.1", 9100, 100, RECV_PEEK),
		    UDPS(AF_INET, "127.0.0.1", 9100, 60), UDPS(AF_INET, "127.0.0.1", 9100, 40) },
};

const struct scenario sc_udp_in_flood = {
	.name = "udp_in_flood",
	.what = "10000 source ports to one server port: 64 in flows, then 1 folded",
	.actors = { UDPRX(AF_INET, "127.0.0.1", 9100, 10000, 0),
		    FLOOD("127.0.0.1", 9100, 20000, 10000) },
	.filter = &only_server,
};

const struct scenario sc_udp_in_flood_summary = {
	.name = "udp_in_flood_summary",
	.what = "--summary of the flood: 10000 datagrams received, 65 in flows",
	.actors = { UDPRX(AF_INET, "127.0.0.1", 9100, 10000, 0),
		    FLOOD("127.0.0.1", 9100, 20000, 10000) },
	.filter = &only_server,
	.summary = true,
};

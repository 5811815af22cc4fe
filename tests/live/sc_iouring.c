// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live scenarios: accepts and connects made through io_uring
 * (actors_iouring.c) are the same events as the syscalls', on the process
 * that owns the ring, with its name (not an io-wq worker's iou-wrk-N).
 */
#include "shorthand.h"

#define IOUSRV(fam, ip, p, n, how) \
	{ .kind = IOU_SERVER, .family = fam, .addr = ip, .port = p, .count = n, \
	  .comm = "st-iou-srv", .tx = 300, .rx = 200, .iou = how }
#define IOUCLI(fam, ip, p, how) \
	{ .kind = IOU_CLIENT, .family = fam, .addr = ip, .port = p, .comm = "st-iou-cli", \
	  .tx = 200, .rx = 300, .iou = how }

const struct scenario sc_iouring_accept = {
	.name = "iouring_accept",
	.what = "server on 127.0.0.1:12000 takes 3 clients with single-shot IORING_OP_ACCEPT: 3 accepts",
	.actors = { IOUSRV(AF_INET, "127.0.0.1", 12000, 3, 0), CLIB(AF_INET, "127.0.0.1", 12000, 200, 300),
		    CLIB(AF_INET, "127.0.0.1", 12000, 200, 300), CLIB(AF_INET, "127.0.0.1", 12000, 200, 300) },
};

const struct scenario sc_iouring_accept_async = {
	.name = "iouring_accept_async",
	.what = "the same over ::1, each accept forced into an io-wq worker (IOSQE_ASYNC)",
	.actors = { IOUSRV(AF_INET6, "::1", 12000, 3, IOU_ASYNC), CLIB(AF_INET6, "::1", 12000, 200, 300),
		    CLIB(AF_INET6, "::1", 12000, 200, 300), CLIB(AF_INET6, "::1", 12000, 200, 300) },
	.io_workers = true,
};

const struct scenario sc_iouring_multishot = {
	.name = "iouring_multishot",
	.what = "one multishot IORING_OP_ACCEPT takes 3 clients (Linux 5.19+; older: not applicable)",
	.actors = { IOUSRV(AF_INET, "127.0.0.1", 12000, 3, IOU_MULTISHOT),
		    CLIB(AF_INET, "127.0.0.1", 12000, 200, 300), CLIB(AF_INET, "127.0.0.1", 12000, 200, 300),
		    CLIB(AF_INET, "127.0.0.1", 12000, 200, 300) },
	.since = { 5, 19 },	/* IORING_ACCEPT_MULTISHOT */
};

const struct scenario sc_iouring_connect = {
	.name = "iouring_connect",
	.what = "2 clients connect with IORING_OP_CONNECT (one through an io-wq worker) to a syscall server",
	.actors = { SRVB(AF_INET, "127.0.0.1", 12000, 2, 300, 200), IOUCLI(AF_INET, "127.0.0.1", 12000, 0),
		    IOUCLI(AF_INET, "127.0.0.1", 12000, IOU_ASYNC) },
	.io_workers = true,
};

const struct scenario sc_iouring_sqpoll = {
	.name = "iouring_sqpoll",
	.what = "a server and a client whose rings' SQPOLL threads (iou-sqp-N) submit an accept, a connect",
	.actors = { IOUSRV(AF_INET, "127.0.0.1", 12000, 1, IOU_SQPOLL),
		    IOUCLI(AF_INET, "127.0.0.1", 12000, IOU_SQPOLL) },
	.io_workers = true,
};

/* nothing routes TEST-NET-2 (198.51.100.0/24) or 2001:db8::/32 in the scenario's namespace */
#define IOUNOROUTE(fam, ip, p, udp, how) \
	{ .kind = FAIL_NO_ROUTE, .family = fam, .addr = ip, .port = p, .count = udp, \
	  .comm = "st-iou-noroute", .iou = IOU_USE | (how) }

/*
 * Connects through io_uring that fail before any SYN: no connect() syscall
 * exits, so the request's completion reports them (Linux 6.0+: the
 * submission tracepoint's request holds the destination; 5.19 is not
 * handled, older kernels not applicable).
 */
const struct scenario sc_iouring_fail_no_route = {
	.name = "iouring_fail_no_route",
	.what = "IORING_OP_CONNECT with no route (TCP and UDP, v4 and v6; in the submitting task, "
		"an io-wq worker, an SQPOLL thread): fail unreachable on the process, no connect",
	.actors = { IOUNOROUTE(AF_INET, "198.51.100.1", 12999, 0, 0),
		    IOUNOROUTE(AF_INET6, "2001:db8::1", 12999, 0, IOU_ASYNC),
		    IOUNOROUTE(AF_INET, "198.51.100.1", 9053, 1, IOU_SQPOLL),
		    IOUNOROUTE(AF_INET6, "2001:db8::1", 9053, 1, 0) },
	.io_workers = true,
	.since = { 6, 0 },
};

const struct scenario sc_iouring_fail_no_port = {
	.name = "iouring_fail_no_port",
	.what = "the namespace's 4 local ports held, one IORING_OP_CONNECT more: fail "
		"EADDRNOTAVAIL with the asked-for destination, no connect to port 0",
	.actors = { { .kind = FAIL_NO_PORT, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
		      .comm = "st-iou-noport", .iou = IOU_USE } },
	.io_workers = true,
	.since = { 6, 0 },
};


/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: shorthand for the actors of the scenario files (struct actor initializers). */
#ifndef ST_LIVE_SHORTHAND_H
#define ST_LIVE_SHORTHAND_H

#include <netinet/in.h>
#include <sys/socket.h>
#include "scenario.h"

#define NOBODY 65534	/* the uid of user nobody */

#define SRV(fam, ip, p, n) \
	{ .kind = TCP_SERVER, .family = fam, .addr = ip, .port = p, .count = n, .comm = "st-server" }
#define CLI(fam, ip, p) \
	{ .kind = TCP_CLIENT, .family = fam, .addr = ip, .port = p, .comm = "st-client" }
/* a server that reads rx and writes tx bytes per connection, and its client */
#define SRVB(fam, ip, p, n, t, r) \
	{ .kind = TCP_SERVER, .family = fam, .addr = ip, .port = p, .count = n, \
	  .comm = "st-server", .tx = t, .rx = r }
/* the client from a given local address (NULL: any) */
#define CLIBS(fam, ip, p, t, r, from) \
	{ .kind = TCP_CLIENT, .family = fam, .addr = ip, .port = p, .comm = "st-client", \
	  .tx = t, .rx = r, .src = from }
#define CLIB(fam, ip, p, t, r) CLIBS(fam, ip, p, t, r, NULL)
#define REFUSED(fam, ip, p) \
	{ .kind = TCP_REFUSED, .family = fam, .addr = ip, .port = p, .comm = "st-refused" }
#define TIMEOUT(ip, p) \
	{ .kind = TCP_TIMEOUT, .family = AF_INET, .addr = ip, .port = p, .comm = "st-timeout" }
#define UDPU(fam, ip, p, p2, n) \
	{ .kind = UDP_UNCONNECTED, .family = fam, .addr = ip, .port = p, .port2 = p2, .count = n, \
	  .comm = "st-udp" }
#define UDPC(fam, ip, p, n) \
	{ .kind = UDP_CONNECTED, .family = fam, .addr = ip, .port = p, .count = n, .comm = "st-udpc" }
#define UDPLATE(fam, ip, p, ms) \
	{ .kind = UDP_CONNECTED, .family = fam, .addr = ip, .port = p, .count = 1, .start_ms = ms, \
	  .background = true, .comm = "st-udpc" }
#define UDPGAP(fam, ip, p, n, gap) \
	{ .kind = UDP_CONNECTED, .family = fam, .addr = ip, .port = p, .count = n, \
	  .comm = "st-udpc", .gap_ms = gap }
/* the received side of UDP (actors_udp_in.c): a server reading n datagrams how (RECV_*) */
#define UDPRX(fam, ip, p, n, how) \
	{ .kind = UDP_RECEIVER, .family = fam, .addr = ip, .port = p, .count = n, .recv = how, \
	  .comm = "st-udp-srv" }
#define UDPS(fam, ip, p, n) \
	{ .kind = UDP_SENDER, .family = fam, .addr = ip, .port = p, .count = n, .comm = "st-udp-cli" }
/* one datagram from each port of from .. from + n - 1 */
#define FLOOD(ip, p, from, n) \
	{ .kind = UDP_FLOOD, .family = AF_INET, .addr = ip, .port = p, .port2 = from, .count = n, \
	  .comm = "st-udp-flood" }

#endif

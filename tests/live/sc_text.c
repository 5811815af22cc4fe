// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* st-live scenarios: the plain text stream, and process names made to break printers */
#include "shorthand.h"

/* a name any local user can give a process: escape sequences, quotes, a backslash,
 * a byte that is not UTF-8, a control byte (15 bytes: what the kernel keeps) */
#define HOSTILE "\x1b]0;pwn\x07\"\\\xff\x01\x1b[2"
#define HOSTILE_TRIO \
	{ .kind = TCP_SERVER, .family = AF_INET, .addr = "127.0.0.1", .port = 12000, .count = 1, \
	  .comm = HOSTILE }, \
	{ .kind = TCP_CLIENT, .family = AF_INET, .addr = "127.0.0.1", .port = 12000, \
	  .comm = HOSTILE }, \
	{ .kind = UDP_CONNECTED, .family = AF_INET6, .addr = "::1", .port = 9003, .count = 3, \
	  .comm = HOSTILE }

const struct scenario sc_text_stream = {
	.name = "text_stream",
	.what = "the plain text stream shows the same events",
	.actors = { SRVB(AF_INET6, "::1", 12000, 1, 70, 7), CLIB(AF_INET6, "::1", 12000, 7, 70),
		    REFUSED(AF_INET, "127.0.0.1", 12999), UDPC(AF_INET, "127.0.0.1", 9003, 5) },
	.text = true,
};

const struct scenario sc_hostile_comm = {
	.name = "hostile_comm",
	.what = "a hostile process name: every JSON line parses and gives its bytes back",
	.actors = { HOSTILE_TRIO },
};

const struct scenario sc_hostile_comm_text = {
	.name = "hostile_comm_text",
	.what = "the same in text: escaped, no raw byte reaches the terminal",
	.actors = { HOSTILE_TRIO },
	.text = true,
};

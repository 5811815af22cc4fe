// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "tcp_states.h"

const char *st_state_name(__u8 proto, unsigned int state)
{
	static const char *const tcp[] = {
		[1] = "ESTAB", [2] = "SYN-SENT", [3] = "SYN-RECV", [4] = "FIN-WAIT-1",
		[5] = "FIN-WAIT-2", [6] = "TIME-WAIT", [7] = "UNCONN", [8] = "CLOSE-WAIT",
		[9] = "LAST-ACK", [10] = "LISTEN", [11] = "CLOSING", [12] = "SYN-RECV",
	};

	if (proto == 17)	/* UDP: TCP_ESTABLISHED when connected, else TCP_CLOSE */
		return state == 1 ? "ESTAB" : "UNCONN";
	if (state < sizeof(tcp) / sizeof(tcp[0]) && tcp[state])
		return tcp[state];
	return "?";
}

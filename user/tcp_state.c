// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "tcp_state.h"

static const char *const names[ST_TCP_STATES] = {
	[1] = "ESTAB",      [2] = "SYN-SENT",   [3] = "SYN-RECV",  [4] = "FIN-WAIT-1",
	[5] = "FIN-WAIT-2", [6] = "TIME-WAIT",  [7] = "UNCONN",    [8] = "CLOSE-WAIT",
	[9] = "LAST-ACK",   [10] = "LISTEN",    [11] = "CLOSING",  [12] = "NEW-SYN-RECV",
};

const char *st_tcp_state_name(unsigned state)
{
	return state < ST_TCP_STATES && names[state] ? names[state] : "?";
}

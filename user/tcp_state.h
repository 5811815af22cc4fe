/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* TCP state numbers (the kernel's, include/net/tcp_states.h) in ss's words. */
#ifndef ST_TCP_STATE_H
#define ST_TCP_STATE_H

#define ST_TCP_STATES	13	/* 1 (ESTABLISHED) to 12 (NEW_SYN_RECV) */

/* "ESTAB", "SYN-SENT", "CLOSE-WAIT", ...; "?" for a number out of range */
const char *st_tcp_state_name(unsigned state);

#endif

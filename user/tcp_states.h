/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Socket states in ss's words. */
#ifndef ST_TCP_STATES_H
#define ST_TCP_STATES_H

#include <linux/types.h>

/*
 * "ESTAB", "SYN-SENT", ... "LISTEN" for a TCP state number (the kernel's
 * TCP_*); a UDP socket's: "UNCONN" or "ESTAB" (connected). "?" for others.
 */
const char *st_state_name(__u8 proto, unsigned int state);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The end of idle UDP flows: their next datagram is a new flow (--udp-idle). */
#ifndef ST_UDP_EXPIRY_H
#define ST_UDP_EXPIRY_H

#include <stddef.h>
#include <linux/types.h>

/* Delete UDP flows idle for idle_ns or more; returns how many. */
size_t st_udp_expire(int flows_fd, __u64 now_mono_ns, __u64 idle_ns);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The busiest remote endpoints, summed over all processes (the peers map). */
#ifndef ST_PEERS_H
#define ST_PEERS_H

#include <stddef.h>
#include <linux/types.h>
#include "socktrace.h"

/* a remote endpoint (k.pid unused) and the sockets all processes opened to it */
struct st_peer_row {
	struct st_peer_key k;
	__u64 count;
	__u32 processes;
};

/* The busiest remote endpoints (most sockets, all processes): up to max rows. */
size_t st_peers_top(int peers_fd, struct st_peer_row *out, size_t max);

struct st_proc_peers;

/* Every process's endpoints (proc_peers.h), read once; NULL when out of memory. */
struct st_proc_peers *st_proc_peers_read(int peers_fd);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Local peers: for a TCP connection whose two ends are both on this machine
 * (loopback, or network namespaces joined without NAT), the process at the
 * other end. An enricher of the pipeline (pipeline.c): a connect records its
 * process under the connection's tuple, the accept of the same connection
 * finds it under the mirrored tuple, and each close learns the other end.
 *
 * The table is bounded: capacity connections (fixed at creation, nothing is
 * allocated per event). When it is full the oldest entry gives way; one with a
 * socket still open is counted as evicted (its pairing is lost).
 */
#ifndef ST_LOCAL_PEERS_H
#define ST_LOCAL_PEERS_H

#include <stdbool.h>
#include <linux/types.h>
#include "socktrace.h"

#define ST_LOCAL_PEERS_CAP	65536	/* connections kept, by default */

struct st_local_peers;

/* the process at the other end of a connection */
struct st_local_peer {
	__u32 pid;			/* process (tgid), host byte order */
	char comm[ST_COMM_LEN];		/* as the event carried it: untrusted, maybe unterminated */
};

/* what an event learnt */
enum st_peer_found {
	ST_PEER_UNKNOWN,	/* the other end is not (yet) known */
	ST_PEER_KNOWN,		/* *peer is the other end */
	ST_PEER_PAIRED,		/* *peer is the other end, and this event made the pair */
};

/* capacity 0: ST_LOCAL_PEERS_CAP. NULL when out of memory. */
struct st_local_peers *st_local_peers_new(__u32 capacity);
void st_local_peers_free(struct st_local_peers *t);

/*
 * One event through the table (TCP connect, accept, close and fail; the rest
 * are ignored). *peer is written only when the answer is not UNKNOWN.
 */
enum st_peer_found st_local_peers_event(struct st_local_peers *t, const struct st_event *e,
					struct st_local_peer *peer);

/* connections kept now, and those dropped for room while a socket was open */
__u32 st_local_peers_kept(const struct st_local_peers *t);
__u64 st_local_peers_evicted(const struct st_local_peers *t);

#endif

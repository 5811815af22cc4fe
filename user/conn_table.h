/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The connections open now, in userspace, fed by the pipeline's events and
 * keyed by socket cookie: a connect or an accept (live, or found existing by
 * the snapshot) adds one, its close or failure takes it away. An existing
 * listener is held too (its close comes: the snapshot keeps its owner); a
 * listener opened live is not (no close is ever streamed for it: the
 * listening ports come from the kernel's listens map). UDP is not held (a
 * flow ends by going idle, in the kernel, with no event).
 *
 * Per process: the connections open now, the existing ones among them by
 * their TCP state when the snapshot found them, and a ring of the recent
 * closes and failures. Memory is bounded: past the limits the oldest
 * connection makes room, and every such loss is counted (st_conn_stats).
 *
 * Exact only while every event reaches it: the ring buffer's drops (counted
 * by the kernel) may leave a connection held after its close (until its
 * cookie is used again) or never held.
 */
#ifndef ST_CONN_TABLE_H
#define ST_CONN_TABLE_H

#include <stddef.h>
#include <linux/types.h>
#include "socktrace.h"
#include "tcp_states.h"

#define ST_CONN_MAX	131072	/* connections held at most */
#define ST_CONN_PROCS	4096	/* processes held at most */
/* the event kinds the table is fed by */
#define ST_CONN_KINDS	(ST_EV_BIT(ST_EV_CONNECT) | ST_EV_BIT(ST_EV_ACCEPT) | \
			 ST_EV_BIT(ST_EV_LISTEN) | ST_EV_BIT(ST_EV_CLOSE) | ST_EV_BIT(ST_EV_FAIL))
#define ST_CONN_RECENT	8	/* recent closes and failures kept per process */

/* an open connection: what its open event said */
struct st_conn {
	__u64 cookie;
	__u64 opened_ns;	/* CLOCK_MONOTONIC: the open's ts */
	__u32 pid;
	__u8  type;		/* ST_EV_CONNECT, ST_EV_ACCEPT or ST_EV_LISTEN */
	__u8  family;
	__u8  flags;		/* ST_EVF_EXISTING, ST_EVF_LOWER_BOUND */
	__u8  state;		/* existing: its TCP state when found; else 0 */
	__u16 lport, rport;	/* host order */
	__u8  laddr[16], raddr[16];	/* network order */
};

/* a recent close or failure: its event, as it came */
struct st_conn_end {
	__u64 ts_ns;
	__u64 duration_ns;
	__u64 tx_bytes, rx_bytes;
	__s32 reason;
	__u8  type;		/* ST_EV_CLOSE or ST_EV_FAIL */
	__u8  family;
	__u8  flags;
	__u16 lport, rport;
	__u8  laddr[16], raddr[16];
};

struct st_conn_proc {
	__u32 pid;
	char  comm[ST_COMM_LEN];	/* the last event's; untrusted, maybe not NUL-terminated */
	__u32 open;			/* connections (connects and accepts) open now */
	__u32 existing;			/* of those, found by the snapshot */
	__u32 listeners;		/* existing listeners still open */
	__u32 states[ST_TCP_STATES];	/* existing sockets open now, by their state when found */
	struct st_conn_end recent[ST_CONN_RECENT];	/* a ring: the newest at (ends - 1) % RECENT */
	__u64 ends;			/* closes and failures seen, ever */
};

/* what the table could not hold or match: nothing lost silently */
struct st_conn_stats {
	__u64 evicted;		/* connections dropped to make room (the oldest) */
	__u64 untracked;	/* opens not held: every process slot held connections */
	__u64 procs_evicted;	/* processes with nothing open dropped to make room */
	__u64 ends_lost;	/* closes and failures not kept: no process slot */
	__u64 replaced;		/* an open found its cookie still held: that close was not seen */
	__u64 unmatched;	/* closes and failures of connections not held */
};

struct st_conn_table;

/* 0 for a limit: the default. NULL when out of memory. */
struct st_conn_table *st_conn_table_new(size_t max_conns, size_t max_procs);
void st_conn_table_free(struct st_conn_table *t);

/* One event of the pipeline (any type: those the table does not hold are ignored). */
void st_conn_table_event(struct st_conn_table *t, const struct st_event *e);

/* A process's entry, or NULL. Valid until the next event. */
const struct st_conn_proc *st_conn_proc(const struct st_conn_table *t, __u32 pid);

/* A process's open connections (listeners too), oldest first: how many there
 * are; at most max are copied into out. */
size_t st_conn_list(const struct st_conn_table *t, __u32 pid, struct st_conn *out, size_t max);

/* The i-th (0: newest) of a process's recent ends, or NULL. */
const struct st_conn_end *st_conn_recent(const struct st_conn_proc *p, size_t i);

size_t st_conn_count(const struct st_conn_table *t);
const struct st_conn_stats *st_conn_table_stats(const struct st_conn_table *t);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Inside the local peers' table (local_peers.c pairs the two ends of a
 * connection): what it keeps, the table of connections by key
 * (local_peers_table.c), and the real destinations of NATed connects
 * (local_peers_nat.c).
 */
#ifndef SOCKTRACE_LOCAL_PEERS_INT_H
#define SOCKTRACE_LOCAL_PEERS_INT_H

#include "local_peers.h"

/*
 * A connection is kept under its tuple as the connecting end sees it: the
 * client (who connected) and the server (who accepted). The accept's local
 * end is the connect's remote end, so an accept builds the same key from its
 * fields mirrored. Both ends of a loopback connection are in one network
 * namespace, and two namespaces may each have the same loopback tuple: for
 * those the namespace is part of the key. Across namespaces (a veth pair)
 * the two ends see different namespaces, and their addresses tell them apart.
 *
 * Byte order, as in struct st_event (include/socktrace.h): ports host order,
 * addresses network order (IPv4 in the first 4 bytes, the rest zero). The key
 * has no implicit padding: it is compared and hashed as bytes.
 */
struct conn_key {
	__u8  family;		/* 4 or 6 */
	__u8  pad;
	__u16 cport;		/* the client's port, host byte order */
	__u16 sport;		/* the server's port, host byte order */
	__u16 pad2;
	__u32 netns;		/* loopback connections only, else 0 */
	__u32 pad3;
	__u8  caddr[16];	/* the client's address, network byte order */
	__u8  saddr[16];	/* the server's address, network byte order */
};

enum side { CLIENT, SERVER };
enum side_state { NOT_SEEN, OPEN, CLOSED };

struct conn_end {
	__u64 cookie;		/* the socket, as its events name it */
	__u64 closed_ns;	/* CLOCK_MONOTONIC, when CLOSED */
	__u32 pid;
	__u8  state;		/* enum side_state */
	char  comm[ST_COMM_LEN];
};

struct conn {
	struct conn_key k;
	struct conn_end end[2];	/* by enum side */
	__u32 next_free;	/* index + 1 of the next free conn; 0: none */
};

/*
 * A connect whose destination was rewritten (DNAT) is kept under its real
 * destination, where the accept is; its close and fail carry only the asked
 * one, so the real one is remembered by the client socket's cookie until
 * then. Direct-mapped: a newer NATed connect whose cookie hashes to the same
 * slot takes it (that close then names no peer, never a wrong one).
 */
struct nat_alias {
	__u64 cookie;		/* the client's socket; 0: empty */
	__u16 lport;		/* its local port, host byte order: a reused cookie differs */
	__u16 rport;		/* the real destination's port, host byte order */
	__u8  raddr[16];	/* the real destination, network byte order */
};

#define NAT_ALIASES	16384	/* a power of two */

struct st_local_peers {
	struct nat_alias *nat;	/* NAT_ALIASES of them */
	struct conn *conns;	/* cap of them */
	__u32 cap;
	__u32 made;		/* conns handed out at least once: [0, made) */
	__u32 free_head;	/* index + 1 of a free conn; 0: none */
	__u32 hand;		/* the next to give way when all are used (oldest first, roughly) */
	__u32 kept;
	__u64 evicted;
	__u32 *slots;		/* open addressing, linear probing: index + 1 into conns; 0 empty */
	size_t mask;		/* slots - 1; slots a power of two, at least twice cap */
	/* a bit a local port (host byte order): last seen accepting (1) or connecting (0) */
	__u64 server_port[65536 / 64];
};

/* the conn kept under k, or NULL */
struct conn *lp_conn_find(const struct st_local_peers *t, const struct conn_key *k);
/* a new conn, zeroed, under k (the oldest gives way when all are used: counted) */
struct conn *lp_conn_add(struct st_local_peers *t, const struct conn_key *k);
/* c is no longer kept */
void lp_conn_drop(struct st_local_peers *t, struct conn *c);
/*
 * e as the server sees its connection: a NATed connect (remembered), or the
 * close or fail of one, with the real destination as its remote end, in
 * *real; any other event as it is
 */
const struct st_event *lp_real_destination(struct st_local_peers *t, const struct st_event *e,
					   struct st_event *real);

#endif

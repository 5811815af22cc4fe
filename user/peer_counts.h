/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Who talks to whom on this machine: for each process, the local processes at
 * the other end of its TCP connections (local_peers.c pairs them), and how
 * many connections each. For --summary and --top's detail view.
 *
 * Bounded: at most ST_PEER_COUNTS_MAX (process, peer) pairs for the whole run;
 * a connection of a pair with no room is counted in st_peer_counts_untracked().
 */
#ifndef ST_PEER_COUNTS_H
#define ST_PEER_COUNTS_H

#include <stddef.h>
#include <linux/types.h>
#include "local_peers.h"

#define ST_PEER_COUNTS_MAX	4096

struct st_peer_counts;

/* one local process a process talked to */
struct st_peer_count {
	struct st_local_peer peer;	/* its pid and comm (the comm its latest event carried) */
	__u64 connections;		/* paired connections between the two */
};

/* NULL when out of memory */
struct st_peer_counts *st_peer_counts_new(void);
void st_peer_counts_free(struct st_peer_counts *t);

/* a connection paired: a (pid, comm) talks to peer, and peer to it */
void st_peer_counts_pair(struct st_peer_counts *t, __u32 pid, const char *comm,
			 const struct st_local_peer *peer);

/*
 * pid's local peers, the most connections first (ties: lower pid first), up to
 * max of them in out; returns how many it has in all (may exceed max).
 */
size_t st_peer_counts_of(const struct st_peer_counts *t, __u32 pid, struct st_peer_count *out,
			 size_t max);

/*
 * pid's local peers as text, the busiest max (at most ST_PEER_TEXT_MAX) and how
 * many more: "1234/curl:3,88/nginx:1,+2" (comm escaped as in the stream), or "-"
 */
#define ST_PEER_TEXT_MAX	8
void st_peer_counts_text(char *buf, size_t len, const struct st_peer_counts *t, __u32 pid,
			 size_t max);

/* connections not counted: the table of pairs was full */
unsigned long long st_peer_counts_untracked(const struct st_peer_counts *t);

#endif

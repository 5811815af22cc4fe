/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Each process's busiest remote endpoints: the kernel's peers map (one entry
 * per process and endpoint, with the sockets it opened to it), read once
 * (peers.c) and sorted by process, the busiest first. For --summary's rows
 * and --top's detail view.
 */
#ifndef ST_PROC_PEERS_H
#define ST_PROC_PEERS_H

#include <stddef.h>
#include <linux/types.h>
#include "peers.h"

struct st_proc_peers;

/* NULL when out of memory */
struct st_proc_peers *st_proc_peers_new(void);
void st_proc_peers_free(struct st_proc_peers *p);

/* one entry of the map: k->pid's sockets to the endpoint; 0, or -1 when out of memory */
int st_proc_peers_add(struct st_proc_peers *p, const struct st_peer_key *k, __u64 sockets);

/* pid's endpoints, most sockets first (of two as busy, by family, port, address): up
 * to max of them into out; returns how many pid has in all (p may be NULL) */
size_t st_proc_peers_of(struct st_proc_peers *p, __u32 pid, struct st_peer_row *out,
			size_t max);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the snapshot of existing sockets (bpf/iter.bpf.c) and the live hooks
 * share: the claims that make each socket's open reported once, by one of
 * them (docs/DESIGN.md#existing-sockets), and the snapshot's counters.
 */
#ifndef SOCKTRACE_EXISTING_BPF_H
#define SOCKTRACE_EXISTING_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "flow.bpf.h"

#define EEXIST	17
#define E2BIG	7

/* 1 while the snapshot may run (the loader sets it before attaching, clears it after) */
__u8 snapshot_on __weak = 0;
/* sockets no process holds (TIME-WAIT, orphans, not yet accepted), by TCP state */
__u64 unheld_tcp[ST_TCP_STATES] __weak = {};
__u64 unheld_udp __weak = 0;
/* sockets left out because a map of the snapshot was full (reported at exit) */
__u64 snapshot_full __weak = 0;

/* a socket's identity for a claim: its address and its 5-tuple (an address is reused) */
struct claim_key {
	__u64 sk;
	struct st_flow flow;
};

/* the opens claimed while the snapshot runs: who inserts first reports */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 19);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct claim_key);
	__type(value, __u8);
} snap_claims SEC(".maps") __weak;

/*
 * Claim the open of sk (flow f) for its reporter: 0 when this caller claimed
 * it, -EEXIST when the other side did first, another error when the map is
 * full (counted: the two sides can't be told apart then).
 */
static ST_OWN_FRAME int existing_claim(struct sock *sk, const struct st_flow *f)
{
	struct claim_key k = { .sk = sk_key(sk), .flow = *f };
	__u8 one = 1;
	int err = bpf_map_update_elem(&snap_claims, &k, &one, BPF_NOEXIST);

	if (err && err != -EEXIST)
		__sync_fetch_and_add(&snapshot_full, 1);
	return err;
}

/*
 * A socket no process holds is counted (not streamed) when the filters
 * would keep it: its family and ports pass, and no filter asks for a
 * process (-p, -c, -U, --cgroup), which it has none of.
 */
static __always_inline bool unheld_wanted(const struct st_flow *f)
{
	return flow_wanted(f) && !n_filter_pids && filter_uid == ~0u && !filter_comm[0] &&
	       !n_filter_cgroups;
}

/* A live open of sk: true when the snapshot has reported it already. */
static __always_inline bool existing_taken(struct sock *sk, const struct st_flow *f)
{
	return snapshot_on && existing_claim(sk, f) == -EEXIST;
}

#endif /* SOCKTRACE_EXISTING_BPF_H */

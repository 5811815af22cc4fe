/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every map the backends share, with the types of their values. The loader
 * reads proc_stats, peers, listens and udp_flows, resizes events, and fills
 * state_work. (The kprobe backend's own udp_calls is in kprobe.bpf.c.)
 */
#ifndef SOCKTRACE_MAPS_BPF_H
#define SOCKTRACE_MAPS_BPF_H

#include "defs.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);	/* resized by the loader (--buffer-size) */
} events SEC(".maps") __weak;

/* The owner of an event: the current task, or one recorded earlier. */
struct st_owner {
	__u64 ts_ns;
	__u64 cgroup;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 netns;	/* 0 until an open event read it; then its closes need not */
	char comm[ST_COMM_LEN];
};

/* the owner of each TCP socket opened while tracing: for close and fail */
struct tcp_owner {
	struct st_owner o;	/* who opened it, and when */
	/*
	 * Its 5-tuple as its open event gave it: for a close socktrace never
	 * sees (close_late()), found after the socket's memory holds another.
	 */
	struct st_flow flow;
	/*
	 * 1: a connect not reported yet (the tracepoint backend keeps the
	 * owner from the start of SYN_SENT, before the port is chosen, and
	 * reports it later: bpf/tp_connect.bpf.h). 0 on every other backend.
	 */
	__u32 unreported;
	__u8 type;		/* ST_EV_CONNECT or ST_EV_ACCEPT */
	/* 1: found by the snapshot, opened before socktrace started (ts_ns: when found) */
	__u8 existing;
	__u8 pad[2];
};

/* Not an LRU, and preallocated: see docs/DESIGN.md#the-owner-map */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);	/* the struct sock's address */
	__type(value, struct tcp_owner);
} tcp_owners SEC(".maps") __weak;

/* a UDP flow seen lately: its next datagrams make no event */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct st_udp_key);
	__type(value, struct st_udp_val);
} udp_flows SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);	/* pid */
	__type(value, struct st_proc_stats);
} proc_stats SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct st_peer_key);
	__type(value, __u64);	/* sockets to that end */
} peers SEC(".maps") __weak;

/* the loader reads the keys only: the value is a placeholder */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct st_listen_key);
	__type(value, __u8);
} listens SEC(".maps") __weak;

/*
 * Per CPU, so that nothing here moves a cache line between CPUs: the cell
 * owners_fence() adds to, and the slot ptr_value() goes through.
 */
struct cpu_scratch {
	__u64 fence;
	__u64 word;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_scratch);
} cpu_scratch SEC(".maps") __weak;

static __always_inline struct cpu_scratch *cpu_scratch_here(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_scratch, &zero);
}

/* a state change, as state_programs.bpf.h tells one from another */
struct state_note {
	__u64 sk;
	__u32 change;		/* oldstate << 8 | newstate */
	__u32 hash;		/* skc_hash */
};

struct state_notes {
	struct state_note n[2];	/* [0]: the latest */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct state_notes);
} state_notes SEC(".maps") __weak;

/*
 * ST_STATE_WORK_SLOT: the state-change work (the loader fills it).
 * ST_STATE_WORK_NEVER stays empty: see st_no_private_stack() in quirks.bpf.h.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} state_work SEC(".maps") __weak;

#endif /* SOCKTRACE_MAPS_BPF_H */

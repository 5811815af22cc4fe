/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A connect() in progress, per thread: what the process asked for, kept from
 * the syscall's entry to its exit (bpf/connect_fail.bpf.c), so that a call
 * that fails before any SYN leaves is a fail event with the asked-for
 * destination. The connect hooks of every backend mark the call when a TCP
 * connect really began (connect_call_began()): its failure, if any, is the
 * state change's to report (refused, timeout), not the exit's.
 */
#ifndef SOCKTRACE_CONNECT_CALLS_BPF_H
#define SOCKTRACE_CONNECT_CALLS_BPF_H

#include "maps.bpf.h"

/* the bytes of a struct sockaddr_in6, the longest address kept */
#define CONNECT_ADDR_LEN 28

struct connect_call {
	__u64 ts_ns;		/* the syscall's entry */
	__u64 sk;		/* the socket behind the descriptor (a plain address) */
	__u8 addr[CONNECT_ADDR_LEN];	/* the sockaddr as the process gave it (network order) */
	/* 1: the TCP connect began (the SYN is the kernel's to send): not the exit's to report */
	__u8 began;
	__u8 pad[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);	/* thread id */
	__type(value, struct connect_call);
} connect_calls SEC(".maps") __weak;

/* the current thread's connect() in progress, or NULL */
static __always_inline struct connect_call *connect_call_here(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	return bpf_map_lookup_elem(&connect_calls, &tid);
}

/* The current thread's TCP connect began (the SYN is on its way), or was undone (0). */
static __always_inline void connect_call_began(__u8 began)
{
	struct connect_call *c = connect_call_here();

	if (c)
		c->began = began;
}

#endif /* SOCKTRACE_CONNECT_CALLS_BPF_H */

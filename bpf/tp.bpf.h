/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the tracepoint backend's two source files share: tp.bpf.c (tp_btf
 * programs, BTF-typed pointers) and tp_sys.bpf.c (syscall tracepoints, plain
 * addresses). Each includes this after choosing its kind of pointer.
 */
#ifndef SOCKTRACE_TP_BPF_H
#define SOCKTRACE_TP_BPF_H

#include "common.bpf.h"

/*
 * Sockets in SYN_SENT whose connect event is not out yet: socket -> owner.
 * Both maps lose an entry when the connect is reported; none is evicted (a
 * full map is counted in owners_full). Both are preallocated, as tcp_owners
 * is: an entry comes and goes with every connect.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct st_owner);
} tp_connecting SEC(".maps") __weak;

/*
 * thread -> the socket its connect() in progress put in SYN_SENT. Sized for
 * threads inside connect() at once: when it is full, the connect is reported
 * when its socket leaves SYN_SENT instead of at the return of connect().
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} tp_connect_calls SEC(".maps") __weak;

/* not inlined: see connect_start() in tp.bpf.c */
static __noinline void connect_done(struct sock *sk)
{
	__u64 key = sk_key(sk);
	struct st_owner *o = bpf_map_lookup_elem(&tp_connecting, &key);
	struct st_owner owner;
	struct st_flow f = {};

	if (!o)
		return;
	owner = *o;
	if (bpf_map_delete_elem(&tp_connecting, &key))
		return;	/* the other path emitted it */
	flow_from_sk(sk, IPPROTO_TCP, &f);
	if (flow_wanted(&f))
		emit(ST_EV_CONNECT, &owner, &f, sk);
}

#endif /* SOCKTRACE_TP_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Owners: who opened a TCP socket, kept in tcp_owners (maps.bpf.h) from its
 * open to its close, and the fence that orders an open against a close
 * racing it on another CPU. See docs/DESIGN.md#the-owner-map and
 * docs/DESIGN.md#the-fence.
 */
#ifndef SOCKTRACE_OWNERS_BPF_H
#define SOCKTRACE_OWNERS_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "quirks.bpf.h"
#include "flow.bpf.h"

/*
 * 0 until the first owner is put in tcp_owners, then 1 for good: while it
 * reads 0, a state change has nothing to look up. Written once, not counted
 * up and down (docs/DESIGN.md#the-owner-map).
 */
__u32 owners_seen __weak = 0;
/* opens whose close can't be followed: tcp_owners was full (reported at exit) */
__u64 owners_full __weak = 0;

/* The current task as an owner, now (its name: st_current_comm()). */
static __always_inline void owner_current(struct st_owner *o)
{
	__u64 id = bpf_get_current_pid_tgid();

	o->ts_ns = bpf_ktime_get_ns();
	o->cgroup = bpf_get_current_cgroup_id();
	o->pid = id >> 32;
	o->tid = (__u32)id;
	o->uid = (__u32)bpf_get_current_uid_gid();
	o->netns = 0;
	st_current_comm(o->comm);
}

/*
 * A full memory barrier: this CPU's earlier stores are visible to every CPU
 * before its later loads are done. An open and a close racing on two CPUs
 * each store, fence, then load what the other stored: at least one of them
 * sees the other. docs/DESIGN.md#the-fence
 */
static __always_inline void owners_fence(void)
{
	struct cpu_scratch *c = cpu_scratch_here();

	if (c)	/* always: an array's slot 0 is there */
		st_full_barrier(&c->fence);
}

/* Take the owner of socket key out of tcp_owners: true if this call did. */
static __always_inline bool owner_drop(__u64 key)
{
	return bpf_map_delete_elem(&tcp_owners, &key) == 0;
}

/* an owner is about to be kept in tcp_owners: from now on a state change must look */
static __always_inline void owners_begin(void)
{
	if (!owners_seen)
		owners_seen = 1;
}

/*
 * The netns of an owner about to be kept, when its open event did not read it
 * (not streamed: -e without the open's kind) and a close may be streamed: a
 * late close (close_late()) has only the new socket at that address to read
 * it from, which may be in another namespace.
 */
static __always_inline void owner_netns(struct st_owner *o, struct sock *sk)
{
	if (!o->netns && closes_streamed())
		o->netns = sk_netns(sk);
}

#endif /* SOCKTRACE_OWNERS_BPF_H */

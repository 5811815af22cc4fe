/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The snapshot's first pass (iter/task_file, every task of the host's pid
 * namespace): which processes hold each TCP and UDP socket's descriptor, in
 * sock_holders; and, for each network namespace a socket is in, one holder
 * and descriptor the loader can reach it through (snap_netns).
 */
#ifndef SOCKTRACE_ITER_HOLDERS_BPF_H
#define SOCKTRACE_ITER_HOLDERS_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "existing.bpf.h"

#define S_IFMT		00170000
#define S_IFSOCK	0140000

/*
 * the holders of one socket; n == 0: held only by processes the filters
 * leave out. flow: the socket's 5-tuple when its holders were noted: the
 * address of a socket closed meanwhile may hold another by the next pass.
 */
struct holders {
	struct st_flow flow;
	struct st_owner o;	/* the first holder wanted (pids[0]) */
	__u32 n;
	__u32 more;		/* past ST_MAX_HOLDERS */
	__u32 pids[ST_MAX_HOLDERS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 19);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);	/* the struct sock's address */
	__type(value, struct holders);
} sock_holders SEC(".maps") __weak;

/* a network namespace with sockets: a process and descriptor of one of them */
struct netns_way {
	__u32 pid;
	__u32 fd;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);	/* the namespace's inode number */
	__type(value, struct netns_way);
} snap_netns SEC(".maps") __weak;

/* sockets whose holders did not fit sock_holders, namespaces not snap_netns */
__u64 holders_full __weak = 0;

/* the same socket's 5-tuple: every field, compared word by word */
static __always_inline bool flow_same(const struct st_flow *a, const struct st_flow *b)
{
	const __u32 *x = (const __u32 *)a, *y = (const __u32 *)b;

#pragma clang loop unroll(full)
	for (int i = 0; i < (int)(sizeof(*a) / 4); i++)
		if (x[i] != y[i])
			return false;
	return true;
}

/* The task as an owner, and whether the filters want it (uid, name, pid). */
static __always_inline bool owner_of_task(struct task_struct *task, struct st_owner *o)
{
	o->ts_ns = bpf_ktime_get_ns();
	o->pid = BPF_CORE_READ(task, tgid);
	o->tid = BPF_CORE_READ(task, pid);
	o->uid = BPF_CORE_READ(task, cred, uid.val);
	o->cgroup = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	o->netns = 0;
	bpf_core_read(o->comm, sizeof(o->comm), &task->comm);
	if (filter_uid != ~0u && o->uid != filter_uid)
		return false;
	if (filter_comm[0]) {
		for (int i = 0; i < ST_COMM_LEN; i++) {
			if (o->comm[i] != filter_comm[i])
				return false;
			if (!o->comm[i])
				break;
		}
	}
	return pid_wanted(o->pid);
}

/*
 * One more holder of the socket's entry h. Unrolled, each index a constant:
 * 5.10's verifier loses the map value's pointer in the rolled loop.
 */
static __always_inline void holders_add(struct holders *h, const struct st_owner *o)
{
	__u32 n = h->n, pid = o->pid;

	if (!n)
		h->o = *o;
#pragma clang loop unroll(full)
	for (int i = 0; i < ST_MAX_HOLDERS; i++)
		if (i < n && h->pids[i] == pid)
			return;	/* another descriptor, or thread, of the same process */
	if (n >= ST_MAX_HOLDERS) {
		h->more++;	/* a later descriptor of a process counted here adds again */
		return;
	}
#pragma clang loop unroll(full)
	for (int i = 0; i < ST_MAX_HOLDERS; i++)
		if (i == n)
			h->pids[i] = pid;
	h->n = n + 1;
}

/* Descriptor fd of task is file: note its holder when it is a TCP or UDP socket. */
static ST_OWN_FRAME void holder_seen(struct task_struct *task, struct file *file, __u32 fd)
{
	struct holders fresh = {}, *h;
	struct st_owner o;
	struct socket *sock;
	struct sock *sk;
	struct netns_way way = { .fd = fd };
	__u32 inum;
	__u16 family, proto;
	__u64 key;

	if ((BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return;
	sock = BPF_CORE_READ(file, private_data);
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	proto = BPF_CORE_READ(sk, sk_protocol);
	if ((family != AF_INET && family != AF_INET6) ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP))
		return;
	key = sk_key(sk);
	flow_from_sk(sk, (__u8)proto, &fresh.flow);
	h = bpf_map_lookup_elem(&sock_holders, &key);
	if (h && !flow_same(&h->flow, &fresh.flow))
		*h = fresh;	/* the address's earlier socket closed during this pass */
	if (!h) {
		if (bpf_map_update_elem(&sock_holders, &key, &fresh, BPF_NOEXIST) ||
		    !(h = bpf_map_lookup_elem(&sock_holders, &key))) {
			holders_full++;	/* one pass, on one CPU: no atomics needed */
			return;
		}
	}
	if (owner_of_task(task, &o))
		holders_add(h, &o);
	inum = sk_netns(sk);
	way.pid = BPF_CORE_READ(task, tgid);
	if (!bpf_map_lookup_elem(&snap_netns, &inum) &&
	    bpf_map_update_elem(&snap_netns, &inum, &way, BPF_NOEXIST) == -E2BIG)
		holders_full++;
}

#endif /* SOCKTRACE_ITER_HOLDERS_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * An event: counted in the kernel's per-process tables (proc_stats, peers,
 * listens), then, when streamed, reserved, filled and submitted to the ring
 * buffer.
 */
#ifndef SOCKTRACE_EMIT_BPF_H
#define SOCKTRACE_EMIT_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "flow.bpf.h"
#include "owners.bpf.h"

/* ring buffer records the consumer could not take: reported by the loader */
__u64 dropped __weak = 0;
/* entries made in proc_stats: the loader tells from it how many it never read */
__u64 procs_created __weak = 0;

/* What some events carry besides the 5-tuple. */
struct st_extra {
	__u64 ts_ns;		/* when it happened; 0: when the owner opened it */
	__u64 duration_ns;
	__u64 tx_bytes;
	__u64 rx_bytes;
	__s32 reason;
	__u8 flags;		/* ST_EVF_* */
	__u16 nat_rport;	/* ST_EVF_NAT: the real destination (nat.bpf.h), host order */
	__u8 nat_raddr[16];	/* network order */
};

/* The per-process counters of o's process, created on its first event. */
static __always_inline struct st_proc_stats *proc_of(const struct st_owner *o)
{
	__u32 pid = o->pid;
	struct st_proc_stats *ps = bpf_map_lookup_elem(&proc_stats, &pid);

	if (!ps) {
		struct st_proc_stats fresh = {};

		__builtin_memcpy(fresh.comm, o->comm, ST_COMM_LEN);
		fresh.uid = o->uid;
		fresh.cgroup = o->cgroup;
		if (bpf_map_update_elem(&proc_stats, &pid, &fresh, BPF_NOEXIST) == 0)
			__sync_fetch_and_add(&procs_created, 1);
		ps = bpf_map_lookup_elem(&proc_stats, &pid);
	}
	return ps;
}

/*
 * Count a remote end of the process; a new one adds to its peers. port is
 * the remote port for connects and UDP (the service), 0 for accepts: a
 * client's port is new with every connection, its address is what tells
 * clients apart (and a server under load would churn one entry per accept).
 */
static __always_inline void count_peer(struct st_proc_stats *ps, __u32 pid,
				       const struct st_flow *f, __u16 port)
{
	struct st_peer_key k = { .pid = pid, .family = f->family, .port = port };
	__u64 one = 1, *n;

	__builtin_memcpy(k.addr, f->raddr, 16);
	n = bpf_map_lookup_elem(&peers, &k);
	if (n) {
		__sync_fetch_and_add(n, 1);
	} else if (bpf_map_update_elem(&peers, &k, &one, BPF_NOEXIST) == 0) {
		__sync_fetch_and_add(&ps->peers, 1);
	}
}

static __noinline void count_event(__u8 type, const struct st_owner *o,
				   const struct st_flow *f, const struct st_extra *x)
{
	struct st_proc_stats *ps;

	if (!count_procs)
		return;
	ps = proc_of(o);
	if (!ps)
		return;
	switch (type) {
	case ST_EV_CONNECT:
		__sync_fetch_and_add(&ps->connects, 1);
		count_peer(ps, o->pid, f, f->rport);
		break;
	case ST_EV_ACCEPT:
		__sync_fetch_and_add(&ps->accepts, 1);
		count_peer(ps, o->pid, f, 0);
		break;
	case ST_EV_UDP:
		if (x && (x->flags & ST_EVF_IN)) {
			/* a client host, as for accepts: its source port says little */
			__sync_fetch_and_add(&ps->udp_in_flows, 1);
			count_peer(ps, o->pid, f, 0);
		} else {
			__sync_fetch_and_add(&ps->udp_flows, 1);
			count_peer(ps, o->pid, f, f->rport);
		}
		break;
	case ST_EV_FAIL:
		__sync_fetch_and_add(&ps->fails, 1);
		break;
	case ST_EV_CLOSE:
		__sync_fetch_and_add(&ps->closes, 1);
		__sync_fetch_and_add(&ps->tx_bytes, x->tx_bytes);
		__sync_fetch_and_add(&ps->rx_bytes, x->rx_bytes);
		break;
	case ST_EV_LISTEN: {
		struct st_listen_key k = { .pid = o->pid, .port = f->lport, .family = f->family };
		__u8 seen = 1;

		__builtin_memcpy(k.addr, f->laddr, 16);
		bpf_map_update_elem(&listens, &k, &seen, BPF_ANY);
		break;
	}
	}
}

/*
 * Count one event in the kernel, then reserve, fill and submit it; count it
 * as dropped when the ring buffer is full. x may be NULL. Fills in o's netns.
 */
static __always_inline void emit_x(__u8 type, struct st_owner *o, const struct st_flow *f,
				   struct sock *sk, const struct st_extra *x)
{
	__u64 ts = x && x->ts_ns ? x->ts_ns : o->ts_ns;	/* one clock read per event */
	struct st_event *e;

	count_event(type, o, f, x);
	if (!stream || !(event_mask & ST_EV_BIT(type)))
		return;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&dropped, 1);
		return;
	}
	e->ts_ns = ts;
	e->cookie = sk_cookie(sk);
	e->cgroup = o->cgroup;
	e->pid = o->pid;
	e->tid = o->tid;
	e->uid = o->uid;
	/* read once, at the open: an owner kept for the close carries it */
	if (!o->netns)
		o->netns = sk_netns(sk);
	e->netns = o->netns;
	e->type = type;
	e->proto = f->proto;
	e->family = f->family;
	e->flags = x ? x->flags : 0;
	e->lport = f->lport;
	e->rport = f->rport;
	__builtin_memcpy(e->laddr, f->laddr, 16);
	__builtin_memcpy(e->raddr, f->raddr, 16);
	__builtin_memcpy(e->comm, o->comm, ST_COMM_LEN);
	if (x) {
		e->duration_ns = x->duration_ns;
		e->tx_bytes = x->tx_bytes;
		e->rx_bytes = x->rx_bytes;
		e->reason = x->reason;
	} else {
		e->duration_ns = 0;
		e->tx_bytes = 0;
		e->rx_bytes = 0;
		e->reason = 0;
	}
	if (x && (x->flags & ST_EVF_NAT)) {
		__builtin_memcpy(e->nat_raddr, x->nat_raddr, 16);
		e->nat_rport = x->nat_rport;
	} else {
		__builtin_memset(e->nat_raddr, 0, 16);
		e->nat_rport = 0;
	}
	e->state = 0;
	__builtin_memset(e->pad1, 0, sizeof(e->pad1));
	__builtin_memset(e->pad2, 0, sizeof(e->pad2));
	/* batch: a wakeup per event would cost the reader a syscall per event */
	bpf_ringbuf_submit(e, bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ?
			      BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/* An event of the current task that keeps nothing (a listen). */
static __always_inline void emit_current(__u8 type, const struct st_flow *f, struct sock *sk)
{
	struct st_owner o;

	owner_current(&o);
	emit_x(type, &o, f, sk, NULL);
}

#endif /* SOCKTRACE_EMIT_BPF_H */

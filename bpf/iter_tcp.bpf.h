/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The snapshot's TCP pass (iter/tcp, one network namespace: the one the
 * loader stands in when it makes the iterator): each socket that a process
 * holds is reported once as the event it would have been live (listen,
 * accept, connect), and from then on lives like a socket opened while
 * tracing: its owner is kept in tcp_owners, so its close is reported.
 * docs/DESIGN.md#existing-sockets
 */
#ifndef SOCKTRACE_ITER_TCP_BPF_H
#define SOCKTRACE_ITER_TCP_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "tcp_life.bpf.h"
#include "iter_report.bpf.h"

/* a listening address of a namespace: tells accepted sockets from connected ones */
struct snap_listen_key {
	__u32 netns;
	__u16 port;		/* host order */
	__u8 family;
	__u8 pad;
	__u8 addr[16];		/* network order; all zero: any address */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct snap_listen_key);
	__type(value, __u8);
} snap_listeners SEC(".maps") __weak;

static __always_inline bool listener_at(__u32 netns, __u8 family, __u16 port, const __u8 *addr)
{
	struct snap_listen_key k = { .netns = netns, .port = port, .family = family };

	if (addr)
		__builtin_memcpy(k.addr, addr, 16);
	return bpf_map_lookup_elem(&snap_listeners, &k) != NULL;
}

/*
 * sk was accepted: a listener of its namespace holds its local address and
 * port (or any address of its family; a v4 connection, any v6 address too:
 * a dual-stack listener). The iterator walks listeners before the rest.
 */
static __always_inline bool accepted(__u32 netns, const struct st_flow *f)
{
	return listener_at(netns, f->family, f->lport, f->laddr) ||
	       listener_at(netns, f->family, f->lport, NULL) ||
	       (f->family == 4 && listener_at(netns, 6, f->lport, NULL));
}

static __always_inline void listener_note(__u32 netns, const struct st_flow *f)
{
	struct snap_listen_key k = { .netns = netns, .port = f->lport, .family = f->family };
	__u8 one = 1;

	__builtin_memcpy(k.addr, f->laddr, 16);
	if (bpf_map_update_elem(&snap_listeners, &k, &one, BPF_ANY))
		snapshot_full++;
}

/*
 * The existing connection sk, just reported, now has its owner in
 * tcp_owners: a close racing the snapshot is reported by whoever deletes it
 * (docs/DESIGN.md#the-fence). Its own frame: tcp_owner is large.
 */
static ST_OWN_FRAME int existing_keep(struct sock *sk, struct snap_scratch *s,
				      const struct st_flow *f, __u8 type)
{
	struct tcp_owner t = { .type = type, .existing = 1 };
	__u64 key = sk_key(sk);
	int err;

	t.o = s->h.o;
	t.o.netns = sk_netns(sk);
	t.flow = *f;
	owners_begin();
	err = bpf_map_update_elem(&tcp_owners, &key, &t, BPF_NOEXIST);
	if (err == -EEXIST)
		return err;	/* a live open keeps it: that one reports it */
	if (err)
		__sync_fetch_and_add(&owners_full, 1);
	return 0;
}

/* After the report: a socket closed meanwhile ends here, if no close took its owner. */
static ST_OWN_FRAME void existing_recheck(struct sock *sk, struct st_owner *o)
{
	__u8 state;

	owners_fence();
	state = RD(sk, __sk_common.skc_state);
	if (state != TCP_SYN_SENT &&
	    (state == TCP_CLOSE || !RD(sk, __sk_common.skc_nulls_node.pprev)) &&
	    owner_drop(sk_key(sk)))
		tcp_end(sk, TCP_ESTABLISHED, o, ST_EVF_EXISTING | ST_EVF_LOWER_BOUND);
}

static __always_inline void existing_tcp(struct seq_file *seq, struct sock *sk)
{
	__u8 state = RD(sk, __sk_common.skc_state), type;
	struct snap_scratch *s;
	struct st_flow f = {};
	__u32 netns;

	if (!want_tcp)
		return;
	/* the 5-tuple is in struct sock_common, which the mini sockets begin with too */
	flow_from_sk(sk, IPPROTO_TCP, &f);
	if (state == TCP_TIME_WAIT) {
		/* a mini socket: no descriptor, no owner; FIN-WAIT-2 or TIME-WAIT, as ss says */
		state = BPF_CORE_READ((struct inet_timewait_sock *)sk, tw_substate);
		if (unheld_wanted(&f))
			unheld_tcp[state & (ST_TCP_STATES - 1)]++;
		return;
	}
	if (state == TCP_NEW_SYN_RECV) {	/* a request: no descriptor yet */
		if (unheld_wanted(&f))
			unheld_tcp[TCP_SYN_RECV]++;
		return;
	}
	netns = sk_netns(sk);
	if (state == TCP_LISTEN)
		listener_note(netns, &f);
	s = holders_take(sk, &f);
	if (!s) {
		if (unheld_wanted(&f))
			unheld_tcp[state & (ST_TCP_STATES - 1)]++;
		return;
	}
	if (!s->h.n || !flow_wanted(&f))
		return;	/* held only by processes left out, or its ports are */
	type = state == TCP_LISTEN ? ST_EV_LISTEN :
	       accepted(netns, &f) ? ST_EV_ACCEPT : ST_EV_CONNECT;
	if (!(work_mask & ST_EV_BIT(type)))
		return;
	s->h.o.ts_ns = bpf_ktime_get_ns();
	/* with live hooks beside it: claimed once, and its close followed */
	if (!snapshot_alone) {
		if (existing_claim(sk, &f))
			return;	/* a live open claimed it first (or no claim fits: counted) */
		if (type != ST_EV_LISTEN && existing_keep(sk, s, &f, type))
			return;
	}
	existing_write(seq, s, type, &f, sk, state);
	if (!snapshot_alone && type != ST_EV_LISTEN)
		existing_recheck(sk, &s->h.o);
}

#endif /* SOCKTRACE_ITER_TCP_BPF_H */

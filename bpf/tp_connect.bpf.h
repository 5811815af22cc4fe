/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The tracepoint and kprobe backends' connect, shared by the hooks that see
 * it. The tracepoint backend's two:
 * sock:inet_sock_set_state CLOSE -> SYN_SENT (tp_set_state.bpf.c) runs in
 * the task that called connect(), but before the local port is chosen: it
 * keeps the task as the socket's owner, the connect unreported. The event
 * goes out, once, with the final 5-tuple, at whichever comes first: the SYN
 * passing net:net_dev_queue (tp_dev_queue.bpf.c; the port is chosen by
 * then, and on every route the SYN leaves through a device, loopback
 * included) or the socket leaving SYN_SENT (established, or closed when
 * refused or timed out, or before any SYN: the tuple is still whole then).
 * The kprobe backend keeps the owner at tcp_connect()'s entry and reports
 * at its return (kprobe.bpf.c), the SYN past the NAT hooks by then; if the
 * kernel had no return probe left for that call, the socket leaving
 * SYN_SENT reports it (fk_set_state.bpf.c), counted in connects_late.
 */
#ifndef SOCKTRACE_TP_CONNECT_BPF_H
#define SOCKTRACE_TP_CONNECT_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "tcp_life.bpf.h"
#include "nat_pending.bpf.h"

/*
 * Take the report of a connect: true for one caller only. The two callers
 * (the SYN leaving, the socket leaving SYN_SENT) hold the socket's lock: the
 * SYN goes out from connect() or from the retransmit timer, and a state
 * changes only under it; so one runs after the other and finds the flag as
 * the other left it. Not so for a SYN held back and sent later from
 * elsewhere (one that waited for its next hop's link address, say): if it
 * left at the very moment the socket left SYN_SENT, the connect could be
 * reported twice. A compare-and-swap would settle that too, but 5.10 has
 * none (quirks.bpf.h).
 */
static __always_inline bool connect_claim(struct tcp_owner *t)
{
	if (!t->unreported)
		return false;
	t->unreported = 0;
	return true;
}

/*
 * The owner of the connect on sk, its report taken by this caller (NULL: not
 * kept, reported already, or filtered out by its ports, then dropped with
 * its end), its flow read from sk: the 5-tuple is whole by the time any
 * caller runs.
 */
static __always_inline struct tcp_owner *connect_claimed(struct sock *sk)
{
	__u64 key = sk_key(sk);
	struct tcp_owner *t = bpf_map_lookup_elem(&tcp_owners, &key);

	if (!t || !connect_claim(t))
		return NULL;
	flow_from_sk(sk, IPPROTO_TCP, &t->flow);
	if (!flow_wanted(&t->flow)) {
		owner_drop(key);
		return NULL;
	}
	return t;
}

/*
 * The connect on sk is reported, if it was not yet: its SYN skb leaves (from
 * net_dev_queue, sk in SYN_SENT: past the NAT, so the event carries the real
 * destination, nat.bpf.h), or it leaves SYN_SENT (skb NULL). Its owner has
 * been in tcp_owners since the connect began (connect_start()): a connect
 * costs one entry, updated once and deleted once; the event is made from that
 * entry, which also keeps the 5-tuple for a close that goes unseen
 * (close_late()).
 */
static ST_OWN_FRAME bool connect_done(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_owner *t = connect_claimed(sk);
	struct st_extra x = {};

	if (!t)
		return false;
	if (skb)
		skb_dnat(skb, &t->flow, &x);
	/* reads the netns into t->o */
	emit_x(ST_EV_CONNECT, &t->o, &t->flow, sk, x.flags ? &x : NULL);
	owner_netns(&t->o, sk);
	return true;
}

/*
 * The kprobe backend's report, as tcp_connect() returns: the destination
 * binding a NAT rule made for this thread's SYN, if any (nat_pending.bpf.h),
 * read from its conntrack entry. Its extra lives in that map's entry, off
 * this program's stack.
 */
static ST_OWN_FRAME void connect_returned(struct sock *sk)
{
	struct tcp_owner *t = test_return_lost(sk) ? NULL : connect_claimed(sk);

	if (t) {
		emit_x(ST_EV_CONNECT, &t->o, &t->flow, sk, nat_pending_take(&t->flow, NULL));
		owner_netns(&t->o, sk);
	}
	nat_pending_done();	/* once per connect: whatever the thread had kept */
}

/*
 * sk leaves SYN_SENT for CLOSE before any SYN left: no local port was free
 * (EADDRNOTAVAIL: the port is still 0), or the route to the chosen port
 * failed, in the connect() of the current thread. No connect happened, so
 * none is reported and no fail from the state change either: the syscall's
 * exit reports the fail with the errno (connect_fail.bpf.c). True if so; the
 * owner is dropped.
 */
static __always_inline bool connect_undone(struct sock *sk)
{
	__u64 key = sk_key(sk);
	struct tcp_owner *t;

	if (RD(sk, sk_err))
		return false;	/* an answer to a SYN (refused), or an ICMP error */
	t = bpf_map_lookup_elem(&tcp_owners, &key);
	if (t && !t->unreported)
		return false;	/* its SYN left */
	if (!connect_call_here() && sk_lport(sk))
		return false;	/* not in connect(), and a port was chosen: given up later */
	connect_call_began(0);
	if (t)
		owner_drop(key);
	return true;
}

/*
 * The current task starts a connect on sk: keep it as the owner, the connect
 * unreported (the tracepoint backend: the local port is not chosen yet).
 * The kprobe backend's sk is in the kernel's tables already, where the
 * snapshot may have found it first: flags BPF_NOEXIST leave that one's
 * owner, and its report, alone (a stale owner was ended as the socket
 * entered SYN_SENT).
 */
static ST_OWN_FRAME void connect_start(struct sock *sk, __u64 flags)
{
	struct tcp_owner t = { .type = ST_EV_CONNECT, .unreported = 1 };
	__u64 key = sk_key(sk);
	int err;

	connect_call_began(1);	/* undone by connect_undone() if no SYN leaves */
	if (!task_wanted(ST_EV_CONNECT, IPPROTO_TCP))
		return;
	owner_current(&t.o);
	owners_begin();
	err = bpf_map_update_elem(&tcp_owners, &key, &t, flags);
	if (err && err != -EEXIST)
		__sync_fetch_and_add(&owners_full, 1);
}

#endif /* SOCKTRACE_TP_CONNECT_BPF_H */

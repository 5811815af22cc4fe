/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A TCP connection's life: its open (connect, accept) keeps its owner; a
 * state change ends it (close, or fail from SYN_SENT) or finds it ended
 * unseen (a late close). docs/DESIGN.md#the-owner-map, #the-fence and
 * #late-closes say why it is built so.
 */
#ifndef SOCKTRACE_TCP_LIFE_BPF_H
#define SOCKTRACE_TCP_LIFE_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "emit.bpf.h"
#include "listen.bpf.h"
#include "test_seam.bpf.h"
#include "existing.bpf.h"
#include "connect_calls.bpf.h"
#include "nat_pending.bpf.h"

/*
 * Owners found still in tcp_owners when their socket's address began a new
 * life: a connection whose close socktrace never saw (its close is streamed
 * then, late: close_late()), or, on the tracepoint backend, a connect never
 * reported. Both reported at exit.
 */
__u64 closes_unseen __weak = 0;
__u64 connects_unseen __weak = 0;

/*
 * The end of a TCP socket opened while tracing, or found by the snapshot, on
 * the process o that opened (or held) it: from SYN_SENT a fail event, else a
 * close event with its counters. flags: ST_EVF_* the event carries (an
 * existing socket's: its duration is a lower bound).
 */
static __noinline void tcp_end(struct sock *sk, int oldstate, struct st_owner *o, __u8 evflags)
{
	struct st_extra x = {};
	struct st_flow f = {};

	flow_from_sk(sk, IPPROTO_TCP, &f);
	x.flags = evflags;
	x.ts_ns = bpf_ktime_get_ns();
	x.duration_ns = x.ts_ns - o->ts_ns;
	if (oldstate == TCP_SYN_SENT) {
		x.reason = RD(sk, sk_err);
		if (!x.reason)	/* given up by the application, no error */
			x.reason = ECONNABORTED;
		emit_x(ST_EV_FAIL, o, &f, sk, &x);
		return;
	}
	struct tcp_sock *tp = TCP_SK(sk);
	unsigned long flags = RD(sk, __sk_common.skc_flags);

	if (tp) {
		/* bytes_sent counts data only, retransmissions included */
		x.tx_bytes = RD(tp, bytes_sent) - RD(tp, bytes_retrans);
		/* bytes_received counts the peer's FIN, if one came (SOCK_DONE) */
		x.rx_bytes = RD(tp, bytes_received);
	}
	if ((flags & (1UL << bpf_core_enum_value(enum sock_flags, SOCK_DONE))) && x.rx_bytes)
		x.rx_bytes--;
	emit_x(ST_EV_CLOSE, o, &f, sk, &x);
}

/*
 * An open (connect, accept) by the current task: counted, streamed, and its
 * owner kept until the socket closes. A connection already closed when its
 * accept returns (reset by the peer) ends here and now. t holds the owner
 * and the flow: the one copy of them on the stack (ST_OWN_FRAME in
 * quirks.bpf.h: the stack is short). The order of the steps, and the fence:
 * docs/DESIGN.md#the-fence.
 */
static __always_inline void emit_open(__u8 type, struct tcp_owner *t, struct sock *sk,
				     const struct st_extra *x)
{
	__u64 key = sk_key(sk);
	__u8 state;

	/*
	 * type, not t->type: a constant here, which the verifier follows into
	 * count_event() (a byte stored on the stack, it would not). Reads the
	 * netns into t->o.
	 */
	if (existing_taken(sk, &t->flow))
		return;	/* the snapshot found it first, and reported it */
	emit_x(type, &t->o, &t->flow, sk, x);
	owner_netns(&t->o, sk);
	/* the owner first, then a look at the socket */
	owners_begin();
	if (bpf_map_update_elem(&tcp_owners, &key, t, BPF_ANY)) {
		__sync_fetch_and_add(&owners_full, 1);
		return;
	}
	owners_fence();
	state = RD(sk, __sk_common.skc_state);
	if (state != TCP_SYN_SENT &&
	    (state == TCP_CLOSE || !RD(sk, __sk_common.skc_nulls_node.pprev)) &&
	    owner_drop(key))
		tcp_end(sk, TCP_ESTABLISHED, &t->o, 0);
}

/*
 * A TCP socket of ours was opened (actively or passively) by the current
 * task. nat: a connect whose SYN has passed the OUTPUT hooks, its real
 * destination kept by nat_pending (the fentry backend's).
 */
static __always_inline void tcp_open_x(__u8 type, struct sock *sk, bool nat)
{
	struct tcp_owner t = { .type = type };

	if (type == ST_EV_CONNECT)
		connect_call_began(1);	/* its failure is the state change's to report */
	if (sk && task_wanted(type, IPPROTO_TCP)) {
		flow_from_sk(sk, IPPROTO_TCP, &t.flow);
		if (flow_wanted(&t.flow)) {
			owner_current(&t.o);
			emit_open(type, &t, sk, nat ? nat_pending_take(&t.flow, NULL) : NULL);
		}
	}
	if (nat)
		nat_pending_done();	/* once per connect: whatever the thread had kept */
}

static __always_inline void tcp_open(__u8 type, struct sock *sk)
{
	tcp_open_x(type, sk, false);
}

/*
 * The socket at key starts a new life and an owner of an earlier socket at
 * that address is still kept: that socket ended without its close reaching
 * socktrace's programs. Its close goes out now, flagged ST_EVF_LATE
 * (docs/DESIGN.md#late-closes). A connect never reported has no close to
 * report. t: the kept owner, copied before it is dropped. Not inlined: its
 * copy of the owner would add to the caller's frame.
 */
static ST_OWN_FRAME void close_late(struct sock *sk, __u64 key, const struct tcp_owner *t)
{
	struct tcp_owner old = *t;
	struct st_extra x = {};

	if (!owner_drop(key))
		return;	/* another CPU took it */
	if (old.unreported) {
		__sync_fetch_and_add(&connects_unseen, 1);
		return;
	}
	__sync_fetch_and_add(&closes_unseen, 1);
	x.ts_ns = bpf_ktime_get_ns();
	x.flags = ST_EVF_LATE | (old.existing ? ST_EVF_EXISTING : 0);
	emit_x(ST_EV_CLOSE, &old.o, &old.flow, sk, &x);
}

/*
 * Every backend: a TCP socket changed state (sock:inet_sock_set_state).
 * LISTEN: a listen event, in the task that called listen(). CLOSE: the end
 * of a socket opened while tracing: from SYN_SENT a fail event, else a close
 * event with the socket's counters, on the process that opened it (close
 * often runs in softirq).
 */
static __always_inline void tcp_state_change(struct sock *sk, int oldstate, int newstate)
{
	__u64 key = sk_key(sk);
	struct tcp_owner *t;
	struct st_owner o;
	__u8 flags;

	if (newstate == TCP_LISTEN || newstate == TCP_SYN_SENT || newstate == TCP_SYN_RECV) {
		/*
		 * A new life for this address: whatever we knew of it is stale.
		 * (A lookup is lock-free, a delete is not: look first.)
		 */
		if (owners_seen && (t = bpf_map_lookup_elem(&tcp_owners, &key)))
			close_late(sk, key, t);
		if (newstate == TCP_LISTEN)
			listen_seen(sk);
		return;
	}
	if (newstate != TCP_CLOSE)
		return;
	if (test_close_lost(sk))
		return;
	/* the kernel's unhash of sk before our lookup: docs/DESIGN.md#the-fence */
	owners_fence();
	if (!owners_seen)
		return;
	t = bpf_map_lookup_elem(&tcp_owners, &key);
	if (!t)
		return;
	o = t->o;
	flags = t->existing ? ST_EVF_EXISTING | ST_EVF_LOWER_BOUND : 0;
	if (!owner_drop(key))
		return;	/* another CPU ended it */
	tcp_end(sk, oldstate, &o, flags);
}

#endif /* SOCKTRACE_TCP_LIFE_BPF_H */

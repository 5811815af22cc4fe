/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The state-change programs: each backend attaches a main program and its
 * twin to sock:inet_sock_set_state, and both hand the work to a third by
 * tail call, so that a state change the kernel skips for one (a change
 * nested in another on the same CPU) is handled by the other.
 * docs/DESIGN.md#nested-state-changes says how and why.
 */
#ifndef SOCKTRACE_STATE_PROGRAMS_BPF_H
#define SOCKTRACE_STATE_PROGRAMS_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "quirks.bpf.h"
#include "config.bpf.h"

static __always_inline struct state_note state_now(unsigned long long *ctx)
{
	struct sock *sk = (struct sock *)ctx[0];
	struct state_note n = {
		.sk = ctx[0],
		.change = (__u32)ctx[1] << 8 | (__u32)ctx[2],
		.hash = RD(sk, __sk_common.skc_hash),
	};

	return n;
}

static __always_inline bool state_same(const struct state_note *a, const struct state_note *b)
{
	return a->sk == b->sk && a->change == b->change && a->hash == b->hash;
}

static __always_inline struct state_notes *state_notes_here(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&state_notes, &zero);
}

/* note the change, unless it is the latest note already */
static __always_inline void state_note(unsigned long long *ctx)
{
	struct state_notes *s = state_notes_here();
	struct state_note n = state_now(ctx);

	if (!s || state_same(&s->n[0], &n))
		return;
	s->n[1] = s->n[0];
	s->n[0] = n;
}

/* take the change's notes back: true if there was one */
static __always_inline bool state_unnote(unsigned long long *ctx)
{
	struct state_notes *s = state_notes_here();
	struct state_note n = state_now(ctx);
	bool found = false;

	if (!s)
		return true;	/* can't tell: leave it to the main one */
	for (int i = 0; i < 2; i++) {
		if (state_same(&s->n[i], &n)) {
			__builtin_memset(&s->n[i], 0, sizeof(s->n[i]));
			found = true;
		}
	}
	return found;
}

/* the changes tcp_state_change() acts on: a socket's start and its end */
static __always_inline bool state_change_wanted(int oldstate, int newstate)
{
	return newstate == TCP_CLOSE || newstate == TCP_SYN_SENT ||
	       newstate == TCP_SYN_RECV || newstate == TCP_LISTEN;
}

/*
 * The three programs of a backend: name (the main one), name##_nested (its
 * twin) and name##_work (reached by tail call only; the loader puts it in
 * state_work's slot ST_STATE_WORK_SLOT). handle(sk, oldstate, newstate) does
 * the work, for the changes wanted(oldstate, newstate) accepts. The others
 * (half of a connection's, with an orderly close: established, FIN_WAIT1,
 * ...) are left by the main program and the twin alike before any note is
 * taken: the same test on the same change, so the twin never takes the main
 * program's silence on one of them for a miss.
 */
#define STATE_PROGRAMS(name, handle, wanted)					\
SEC("tp_btf/inet_sock_set_state")						\
int name(unsigned long long *ctx)						\
{										\
	if (!wanted((int)ctx[1], (int)ctx[2]))					\
		return 0;							\
	state_note(ctx);							\
	bpf_tail_call(ctx, &state_work, ST_STATE_WORK_SLOT);			\
	return 0;								\
}										\
										\
SEC("tp_btf/inet_sock_set_state")						\
int name##_nested(unsigned long long *ctx)					\
{										\
	if (wanted((int)ctx[1], (int)ctx[2]) && !state_unnote(ctx))		\
		bpf_tail_call(ctx, &state_work, ST_STATE_WORK_SLOT);		\
	return 0;								\
}										\
										\
SEC("tp_btf/inet_sock_set_state")						\
int BPF_PROG(name##_work, struct sock *sk, int oldstate, int newstate)		\
{										\
	handle(sk, oldstate, newstate);						\
	state_note(ctx);							\
	st_no_private_stack(ctx);						\
	return 0;								\
}

#endif /* SOCKTRACE_STATE_PROGRAMS_BPF_H */

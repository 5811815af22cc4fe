// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sock:inet_sock_set_state programs the fentry and kprobe backends share
 * (fk_set_state, fk_set_state_nested, fk_set_state_work: STATE_PROGRAMS),
 * handed BTF-typed pointers: listen, close and failed connects come from the
 * state-change tracepoint on every backend (it exists on every kernel
 * socktrace supports and needs no kprobe or trampoline); the tracepoint
 * backend has its own programs there (tp_set_state.bpf.c).
 */
#include "read_btf.bpf.h"
#include "tcp_life.bpf.h"
#include "state_programs.bpf.h"

static __always_inline void fk_state(struct sock *sk, int oldstate, int newstate)
{
	if (RD(sk, sk_protocol) == IPPROTO_TCP)
		tcp_state_change(sk, oldstate, newstate);
}

STATE_PROGRAMS(fk_set_state, fk_state, state_change_wanted)

char LICENSE[] SEC("license") = "Dual BSD/GPL";

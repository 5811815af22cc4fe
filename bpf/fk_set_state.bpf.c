// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sock:inet_sock_set_state programs the fentry and kprobe backends share
 * (fk_set_state, fk_set_state_nested, fk_set_state_work: STATE_PROGRAMS),
 * handed BTF-typed pointers: listen, close and failed connects come from the
 * state-change tracepoint on every backend (it exists on every kernel
 * socktrace supports and needs no kprobe or trampoline); the tracepoint
 * backend has its own programs there (tp_set_state.bpf.c). On the kprobe
 * backend a socket leaving SYN_SENT also reports its connect if the return
 * of its tcp_connect() went unseen (tp_connect.bpf.h).
 */
#include "read_btf.bpf.h"
#include "tp_connect.bpf.h"
#include "state_programs.bpf.h"

/* 1: connects are reported at tcp_connect()'s return (the kprobe backend; set by the loader) */
const volatile __u8 connects_at_return __weak = 0;
/* connects reported as they left SYN_SENT: their return probe was missed (reported at exit) */
__u64 connects_late __weak = 0;

static __always_inline void fk_state(struct sock *sk, int oldstate, int newstate)
{
	if (RD(sk, sk_protocol) != IPPROTO_TCP)
		return;
	if (connects_at_return && oldstate == TCP_SYN_SENT && connect_done(sk, NULL))
		__sync_fetch_and_add(&connects_late, 1);
	tcp_state_change(sk, oldstate, newstate);
}

static __always_inline bool fk_state_wanted(int oldstate, int newstate)
{
	return (connects_at_return && oldstate == TCP_SYN_SENT) ||
	       state_change_wanted(oldstate, newstate);
}

STATE_PROGRAMS(fk_set_state, fk_state, fk_state_wanted)

char LICENSE[] SEC("license") = "Dual BSD/GPL";

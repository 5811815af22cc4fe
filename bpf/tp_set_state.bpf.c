// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend's sock:inet_sock_set_state programs (tp_set_state,
 * tp_set_state_nested, tp_set_state_work: STATE_PROGRAMS), handed BTF-typed
 * pointers: listen, close and fail as on every backend (tcp_life.bpf.h), and
 * the start and end of SYN_SENT for its connect (tp_connect.bpf.h). This
 * backend needs no kprobe and no trampoline, only tracepoints, so it runs on
 * kernels built without kprobes or where fentry is refused.
 */
#include "read_btf.bpf.h"
#include "tp_connect.bpf.h"
#include "state_programs.bpf.h"
#include "dns_tcp_query.bpf.h"

static __always_inline void tp_state(struct sock *sk, int oldstate, int newstate)
{
	if (RD(sk, sk_protocol) != IPPROTO_TCP)
		return;
	if (oldstate == TCP_SYN_SENT && newstate == TCP_CLOSE && connect_undone(sk))
		return;	/* no SYN left: the fail is connect()'s exit's (connect_fail.bpf.c) */
	if (oldstate == TCP_SYN_SENT) {
		dns_tcp_port_chosen(sk);
		connect_done(sk, NULL);	/* first: a failed connect is a connect too */
	}
	tcp_state_change(sk, oldstate, newstate);
	if (newstate == TCP_SYN_SENT) {
		dns_tcp_connect_start(sk);
		connect_start(sk, BPF_ANY);
	}
}

/* tcp_state_change()'s, and the end of SYN_SENT: the connect may be unreported */
static __always_inline bool tp_state_wanted(int oldstate, int newstate)
{
	return oldstate == TCP_SYN_SENT || state_change_wanted(oldstate, newstate);
}

STATE_PROGRAMS(tp_set_state, tp_state, tp_state_wanted)

char LICENSE[] SEC("license") = "Dual BSD/GPL";

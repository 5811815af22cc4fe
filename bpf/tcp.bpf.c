// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * TCP opens for the fentry and kprobe backends: the same two kernel functions,
 * reached through a trampoline (fentry/fexit) or a kprobe (kprobe/kretprobe).
 *
 * tcp_connect() sends the SYN: the local port is already chosen and the task
 * is the one that called connect(). inet_csk_accept() returns the new socket
 * in the task that called accept().
 */
#include "common.bpf.h"

SEC("fentry/tcp_connect")
int BPF_PROG(fe_tcp_connect, struct sock *sk)
{
	tcp_open(ST_EV_CONNECT, sk);
	return 0;
}

/*
 * inet_csk_accept() took (sk, flags, err, kern) up to 6.9 and (sk, arg) since
 * 6.10 (commit 92ef0fd55ac8, "net: change proto->accept to take a struct").
 * fexit finds the return value after the arguments, so its slot moves. One
 * program per signature, each returning at once on the other kind of kernel:
 * the CO-RE check is a constant at load time, so the verifier never walks the
 * load from a slot that this kernel's function does not have. (A single
 * program choosing the slot lets clang compute the offset, which the verifier
 * refuses for ctx.)
 */
SEC("fexit/inet_csk_accept")
int fe_accept_v1(unsigned long long *ctx)
{
	if (bpf_core_type_exists(struct proto_accept_arg))
		return 0;
	tcp_open(ST_EV_ACCEPT, (struct sock *)ctx[4]);
	return 0;
}

SEC("fexit/inet_csk_accept")
int fe_accept_v2(unsigned long long *ctx)
{
	if (!bpf_core_type_exists(struct proto_accept_arg))
		return 0;
	tcp_open(ST_EV_ACCEPT, (struct sock *)ctx[2]);
	return 0;
}

SEC("kprobe/tcp_connect")
int BPF_KPROBE(kp_tcp_connect, struct sock *sk)
{
	tcp_open(ST_EV_CONNECT, sk);
	return 0;
}

/* the return value is in the same register whatever the signature */
SEC("kretprobe/inet_csk_accept")
int BPF_KRETPROBE(kp_accept, struct sock *ret)
{
	tcp_open(ST_EV_ACCEPT, ret);
	return 0;
}

/*
 * Listen, close and failed connects come from the state-change tracepoint on
 * every backend (it exists on every kernel socktrace supports and needs no
 * kprobe or trampoline); the tracepoint backend has its own program there.
 */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(fk_set_state, struct sock *sk, int oldstate, int newstate)
{
	if (BPF_CORE_READ(sk, sk_protocol) == IPPROTO_TCP)
		tcp_state_change(sk, oldstate, newstate);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

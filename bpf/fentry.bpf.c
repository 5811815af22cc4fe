// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fentry backend's programs (fe_), and the state-change program the
 * fentry and kprobe backends share (fk_). All are handed BTF-typed pointers,
 * so they read kernel structures directly (see RD() in common.bpf.h).
 *
 * tcp_connect() sends the SYN: the local port is already chosen and the task
 * is the one that called connect(). inet_csk_accept() returns the new socket
 * in the task that called accept(). udp_sendmsg() and udpv6_sendmsg() run in
 * the sending task; the socket is already bound (the caller autobinds it) and
 * msg->msg_name, when set, is the destination of an unconnected send, already
 * copied into kernel memory. Only sends that succeed count: fexit sees the
 * return value with the arguments. udpv6_sendmsg() hands v4-mapped
 * destinations to udp_sendmsg(): both see the same flow and the dedup map
 * reports it once.
 */
#define ST_BTF_POINTERS
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

SEC("fexit/udp_sendmsg")
int BPF_PROG(fe_udp_sendmsg, struct sock *sk, struct msghdr *msg, size_t len, int ret)
{
	if (ret >= 0)
		udp_send(sk, RD(msg, msg_name), ret);
	return 0;
}

SEC("fexit/udpv6_sendmsg")
int BPF_PROG(fe_udpv6_sendmsg, struct sock *sk, struct msghdr *msg, size_t len, int ret)
{
	if (ret >= 0)
		udp_send(sk, RD(msg, msg_name), ret);
	return 0;
}

/*
 * Listen, close and failed connects come from the state-change tracepoint on
 * every backend (it exists on every kernel socktrace supports and needs no
 * kprobe or trampoline); the tracepoint backend has its own program there.
 */
static __always_inline void fk_state(struct sock *sk, int oldstate, int newstate)
{
	if (RD(sk, sk_protocol) == IPPROTO_TCP)
		tcp_state_change(sk, oldstate, newstate);
}

/* fk_set_state, fk_set_state_nested, fk_set_state_work: see STATE_PROGRAMS in common.bpf.h */
STATE_PROGRAMS(fk_set_state, fk_state, state_change_wanted)

char LICENSE[] SEC("license") = "Dual BSD/GPL";

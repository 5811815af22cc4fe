// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fentry backend's fentry/fexit programs (fe_). They are handed
 * BTF-typed pointers, so they read kernel structures directly
 * (read_btf.bpf.h). Listen, close and fail come from fk_set_state
 * (fk_set_state.bpf.c), which this backend loads too.
 *
 * tcp_connect() sends the SYN: the local port is already chosen and the task
 * is the one that called connect(); the connect is reported as it returns.
 * inet_csk_accept() returns the new socket in the task that called
 * accept(). udp_sendmsg() and udpv6_sendmsg() run in
 * the sending task; the socket is already bound (the caller autobinds it) and
 * msg->msg_name, when set, is the destination of an unconnected send, already
 * copied into kernel memory. Only sends that succeed count: fexit sees the
 * return value with the arguments. udpv6_sendmsg() hands v4-mapped
 * destinations to udp_sendmsg(): both see the same flow and the dedup map
 * reports it once. __skb_recv_udp() returns each datagram udp_recvmsg() and
 * udpv6_recvmsg() hand the reading task, with its flags (udp_recv.bpf.h).
 */
#include "read_btf.bpf.h"
#include "tcp_life.bpf.h"
#include "udp_flow.bpf.h"
#include "dns_tcp_query.bpf.h"
#include "udp_recv.bpf.h"

/*
 * When tcp_connect() returns its SYN has passed the OUTPUT hooks (the socket
 * is locked by the connecting task meanwhile: no answer is handled before),
 * so a DNAT's real destination is known (nat_pending.bpf.h).
 */
SEC("fexit/tcp_connect")
int BPF_PROG(fe_tcp_connect, struct sock *sk, int ret)
{
	dns_tcp_connect(sk);
	tcp_open_x(ST_EV_CONNECT, sk, true);
	return 0;
}

/* a destination binding of a new conntrack entry (nf_nat, 5.11+ as a module: its BTF) */
SEC("fentry/nf_nat_setup_info")
int BPF_PROG(fe_nat_setup, struct nf_conn *ct, const void *range, int maniptype)
{
	nat_pending_keep(ct, maniptype);
	return 0;
}

/*
 * The accept's return value follows the arguments, whose number changed in
 * 6.10 (ST_ACCEPT_TAKES_ARG in quirks.bpf.h): one program per signature,
 * each returning at once on the other kind of kernel, so the verifier never
 * walks the load from a slot this kernel's function does not have.
 */
SEC("fexit/inet_csk_accept")
int fe_accept_v1(unsigned long long *ctx)
{
	if (ST_ACCEPT_TAKES_ARG())
		return 0;
	tcp_open(ST_EV_ACCEPT, (struct sock *)ctx[4]);
	return 0;
}

SEC("fexit/inet_csk_accept")
int fe_accept_v2(unsigned long long *ctx)
{
	if (!ST_ACCEPT_TAKES_ARG())
		return 0;
	tcp_open(ST_EV_ACCEPT, (struct sock *)ctx[2]);
	return 0;
}

/* a DNS query as the send starts (udp_send_query()); loaded for --names only */
SEC("fentry/udp_sendmsg")
int BPF_PROG(fe_udp_query, struct sock *sk, struct msghdr *msg)
{
	udp_send_query(sk, RD(msg, msg_name));
	return 0;
}

SEC("fentry/udpv6_sendmsg")
int BPF_PROG(fe_udpv6_query, struct sock *sk, struct msghdr *msg)
{
	udp_send_query(sk, RD(msg, msg_name));
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
 * A datagram handed to a reader: one program per signature of the two
 * (ST_RECV_UDP_HAS_NOBLOCK in quirks.bpf.h), each returning at once on the
 * other kind of kernel, as the accept's.
 */
SEC("fexit/__skb_recv_udp")
int fe_recv_udp_v1(unsigned long long *ctx)
{
	if (ST_RECV_UDP_HAS_NOBLOCK())
		udp_dequeued((struct sock *)ctx[0], (struct sk_buff *)ctx[5], (unsigned int)ctx[1]);
	return 0;
}

SEC("fexit/__skb_recv_udp")
int fe_recv_udp_v2(unsigned long long *ctx)
{
	if (!ST_RECV_UDP_HAS_NOBLOCK())
		udp_dequeued((struct sock *)ctx[0], (struct sk_buff *)ctx[4], (unsigned int)ctx[1]);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

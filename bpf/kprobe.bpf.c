// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kprobe backend's programs (kp_): the functions fentry.bpf.c hooks,
 * reached through kprobes and kretprobes, for kernels that refuse
 * trampolines. Their pointers are plain addresses: every read goes through
 * bpf_probe_read_kernel() (read_probe.bpf.h). Close, fail and listen come
 * from fk_set_state (fk_set_state.bpf.c), which this backend loads too, as
 * does a connect whose return went unseen.
 *
 * A kretprobe does not see the arguments: the UDP twin keeps them per
 * thread from the kprobe until the return, and counts successful sends only.
 * A receive is counted by a kprobe alone, where the read is done with the
 * datagram (skb_consume_udp()): no return probe, whose instances in flight
 * the kernel bounds (a read waiting in the kernel holds one).
 */
#include "read_probe.bpf.h"
#include "tp_connect.bpf.h"
#include "udp_flow.bpf.h"
#include "dns_tcp_query.bpf.h"
#include "udp_recv.bpf.h"

/* per thread: the socket of a tcp_connect() call in progress */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);	/* struct sock * */
} connect_socks SEC(".maps");

/*
 * A connect is reported as tcp_connect() returns (connect_returned(),
 * tp_connect.bpf.h): its SYN has passed the OUTPUT hooks by then, in this
 * task, and a DNAT there is known; the socket is locked, so no answer is
 * handled before. Its owner is kept at the entry, so a return the kernel
 * could not follow (it keeps only so many in flight) still ends in a report,
 * when the socket leaves SYN_SENT (fk_set_state.bpf.c).
 */
SEC("kprobe/tcp_connect")
int BPF_KPROBE(kp_tcp_connect, struct sock *sk)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 p = (__u64)sk;

	dns_tcp_connect(sk);
	connect_start(sk, BPF_NOEXIST);
	bpf_map_update_elem(&connect_socks, &tid, &p, BPF_ANY);
	return 0;
}

SEC("kretprobe/tcp_connect")
int BPF_KRETPROBE(kp_tcp_connect_ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *p = bpf_map_lookup_elem(&connect_socks, &tid);
	struct sock *sk;

	if (!p)
		return 0;
	sk = (struct sock *)*p;
	bpf_map_delete_elem(&connect_socks, &tid);
	connect_returned(sk);
	return 0;
}

/* a NAT rule binds a new connection's destination (nat_pending.bpf.h) */
SEC("kprobe/nf_nat_setup_info")
int BPF_KPROBE(kp_nat_setup, struct nf_conn *ct, const void *range, int maniptype)
{
	nat_pending_keep(ct, maniptype);
	return 0;
}

/*
 * An accepted socket is grafted onto its new struct socket in the task that
 * accepts (sock_graft() in inet_accept(), every kernel), which calls
 * security_sock_graft() (CONFIG_SECURITY): an entry probe there sees each
 * accept. Not a return probe on inet_csk_accept(): the kernel keeps only so
 * many of those in flight (as many as CPUs without CONFIG_PREEMPTION), and
 * a task waiting in accept() holds one for the whole wait, so the accepts of
 * a second server waiting on the same CPU went unseen.
 */
SEC("kprobe/security_sock_graft")
int BPF_KPROBE(kp_accept, struct sock *sk)
{
	__u16 family = RD(sk, __sk_common.skc_family);

	if (RD(sk, sk_protocol) != IPPROTO_TCP || (family != AF_INET && family != AF_INET6))
		return 0;	/* sock_graft() serves other protocols' accepts too */
	tcp_open(ST_EV_ACCEPT, sk);
	return 0;
}

/*
 * Where security_sock_graft() is not there (a kernel without
 * CONFIG_SECURITY), the return of inet_csk_accept() (the loader's
 * fallback); the return value is in the same register whatever the
 * signature.
 */
SEC("kretprobe/inet_csk_accept")
int BPF_KRETPROBE(kp_accept_ret, struct sock *ret)
{
	tcp_open(ST_EV_ACCEPT, ret);
	return 0;
}

struct udp_args {
	struct sock *sk;
	void *name;		/* msg_name */
};

/* per thread: the arguments of a udp(v6)_sendmsg call in progress */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct udp_args);
} udp_calls SEC(".maps");

static __always_inline int udp_enter(const struct udp_args *a)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (!task_wanted(ST_EV_UDP, IPPROTO_UDP))
		return 0;
	bpf_map_update_elem(&udp_calls, &tid, a, BPF_ANY);
	return 0;
}

/* the thread's call's arguments, taken out: false if none were kept */
static __always_inline bool udp_exit(struct udp_args *copy)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct udp_args *a = bpf_map_lookup_elem(&udp_calls, &tid);

	if (!a)
		return false;
	*copy = *a;
	bpf_map_delete_elem(&udp_calls, &tid);
	return true;
}

static __always_inline int udp_send_enter(struct sock *sk, struct msghdr *msg)
{
	struct udp_args a = { .sk = sk, .name = BPF_CORE_READ(msg, msg_name) };

	udp_send_query(sk, a.name);
	return udp_enter(&a);
}

static __always_inline int udp_send_exit(int ret)
{
	struct udp_args a;

	if (udp_exit(&a) && ret >= 0)
		udp_send(a.sk, a.name, ret);
	return 0;
}

SEC("kprobe/udp_sendmsg")
int BPF_KPROBE(kp_udp_sendmsg, struct sock *sk, struct msghdr *msg)
{
	return udp_send_enter(sk, msg);
}

SEC("kretprobe/udp_sendmsg")
int BPF_KRETPROBE(kp_udp_sendmsg_ret, int ret)
{
	return udp_send_exit(ret);
}

SEC("kprobe/udpv6_sendmsg")
int BPF_KPROBE(kp_udpv6_sendmsg, struct sock *sk, struct msghdr *msg)
{
	return udp_send_enter(sk, msg);
}

SEC("kretprobe/udpv6_sendmsg")
int BPF_KRETPROBE(kp_udpv6_sendmsg_ret, int ret)
{
	return udp_send_exit(ret);
}

/*
 * udp_recvmsg() and udpv6_recvmsg() give each datagram they copied to the
 * reading task to skb_consume_udp(), a peek's too: len is then the negative
 * of the bytes copied, and the datagram, left queued, has a reference more
 * (which tells a peek of an empty datagram from its read). A datagram they
 * drop (a bad checksum) never comes here.
 */
SEC("kprobe/skb_consume_udp")
int BPF_KPROBE(kp_recv_udp, struct sock *sk, struct sk_buff *skb, int len)
{
	bool peek = len < 0 || (len == 0 && RD(skb, users.refs.counter) > 1);

	udp_dequeued(sk, skb, peek ? ST_MSG_PEEK : 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

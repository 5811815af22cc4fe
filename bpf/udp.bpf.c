// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * UDP flows for the fentry and kprobe backends. udp_sendmsg() and
 * udpv6_sendmsg() run in the sending task; the socket is already bound (the
 * caller autobinds it) and msg->msg_name, when set, is the destination of an
 * unconnected send, already copied into kernel memory.
 *
 * Only sends that succeed count: fexit sees the return value with the
 * arguments; the kprobe twin keeps the arguments per thread until kretprobe.
 * udpv6_sendmsg() hands v4-mapped destinations to udp_sendmsg(): both see the
 * same flow and the dedup map reports it once.
 */
#include "common.bpf.h"

SEC("fexit/udp_sendmsg")
int BPF_PROG(fe_udp_sendmsg, struct sock *sk, struct msghdr *msg, size_t len, int ret)
{
	if (ret >= 0)
		udp_send(sk, BPF_CORE_READ(msg, msg_name), ret);
	return 0;
}

SEC("fexit/udpv6_sendmsg")
int BPF_PROG(fe_udpv6_sendmsg, struct sock *sk, struct msghdr *msg, size_t len, int ret)
{
	if (ret >= 0)
		udp_send(sk, BPF_CORE_READ(msg, msg_name), ret);
	return 0;
}

struct udp_args {
	struct sock *sk;
	void *name;
};

/* per thread: the arguments of a udp(v6)_sendmsg call in progress */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct udp_args);
} udp_calls SEC(".maps");

static __always_inline int udp_enter(struct sock *sk, struct msghdr *msg)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct udp_args a = { .sk = sk, .name = BPF_CORE_READ(msg, msg_name) };

	if (!task_wanted(ST_EV_UDP, IPPROTO_UDP))
		return 0;
	bpf_map_update_elem(&udp_calls, &tid, &a, BPF_ANY);
	return 0;
}

static __always_inline int udp_exit(int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct udp_args *a = bpf_map_lookup_elem(&udp_calls, &tid);
	struct udp_args copy;

	if (!a)
		return 0;
	copy = *a;
	bpf_map_delete_elem(&udp_calls, &tid);
	if (ret >= 0)
		udp_send(copy.sk, copy.name, ret);
	return 0;
}

SEC("kprobe/udp_sendmsg")
int BPF_KPROBE(kp_udp_sendmsg, struct sock *sk, struct msghdr *msg)
{
	return udp_enter(sk, msg);
}

SEC("kretprobe/udp_sendmsg")
int BPF_KRETPROBE(kp_udp_sendmsg_ret, int ret)
{
	return udp_exit(ret);
}

SEC("kprobe/udpv6_sendmsg")
int BPF_KPROBE(kp_udpv6_sendmsg, struct sock *sk, struct msghdr *msg)
{
	return udp_enter(sk, msg);
}

SEC("kretprobe/udpv6_sendmsg")
int BPF_KRETPROBE(kp_udpv6_sendmsg_ret, int ret)
{
	return udp_exit(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

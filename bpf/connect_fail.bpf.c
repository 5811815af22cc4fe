// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Every backend's connect() that fails before any SYN leaves (no route, no
 * free local port, refused by a cgroup, LSM or firewall program, an address
 * in use, a bad argument), TCP and UDP: the fail event goes out at the
 * syscall's exit, on the calling process, with the destination it asked for
 * and the errno as reason. The syscall tracepoints are plain perf
 * tracepoints on every kernel (read_probe.bpf.h). A connect that sent its
 * SYN is marked by the backend's connect hook (connect_calls.bpf.h); its
 * failure (refused, timeout) is reported by the state change, as before.
 */
#include "read_probe.bpf.h"
#include "tp_accept.bpf.h"
#include "connect_calls.bpf.h"

#define ERESTARTSYS	512	/* and the kernel's other restart codes above it */

/* The record of sys_enter_connect (tracefs events/syscalls/.../format): the same on every kernel. */
struct sys_enter_connect_rec {
	__u64 common;
	__s32 syscall_nr;
	__s32 pad;
	__u64 fd;
	__u64 uservaddr;
	__u64 addrlen;
};

/* the socket's protocol if it is a TCP or UDP socket of AF_INET(6), else 0 */
static __always_inline __u8 inet_proto(struct sock *sk)
{
	__u16 family = RD(sk, __sk_common.skc_family);
	__u16 proto = RD(sk, sk_protocol);

	if (family != AF_INET && family != AF_INET6)
		return 0;
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ? (__u8)proto : 0;
}

SEC("tracepoint/syscalls/sys_enter_connect")
int sys_connect_enter(struct sys_enter_connect_rec *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct connect_call c = {};
	const void *uaddr = (const void *)(unsigned long)ctx->uservaddr;
	__u64 len = ctx->addrlen;
	__u16 family = 0;
	struct sock *sk;

	if (!task_wanted(ST_EV_FAIL, 0))
		return 0;
	/*
	 * As much as the process gave, up to a sockaddr_in6: a short one fails
	 * (EINVAL), with what it holds of the destination; the rest reads 0.
	 */
	if (len > CONNECT_ADDR_LEN)
		len = CONNECT_ADDR_LEN;
	if (len < sizeof(family) || bpf_probe_read_user(c.addr, len, uaddr))
		return 0;
	__builtin_memcpy(&family, c.addr, sizeof(family));
	if (family != AF_INET && family != AF_INET6)
		return 0;	/* AF_UNSPEC (a disconnect), or not an internet address */
	sk = sk_of_fd((long)ctx->fd);
	if (!sk || !inet_proto(sk))
		return 0;
	/*
	 * An error already pending: this call only collects it (a connect()
	 * called again after a non-blocking one failed), and the state change
	 * reported it.
	 */
	if (RD(sk, sk_err))
		return 0;
	c.sk = (__u64)(unsigned long)sk;
	c.ts_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&connect_calls, &tid, &c, BPF_ANY);
	return 0;
}

/* an error that is not a failure before the SYN */
static __always_inline bool not_before_syn(long err, __u8 proto)
{
	if (err == EINPROGRESS || err == EALREADY || err == EISCONN || err >= ERESTARTSYS)
		return true;
	/* the end of an earlier connect of this socket: the state change's (tcp_end()) */
	return proto == IPPROTO_TCP && err == ECONNABORTED;
}

/* Not inlined: the copy of the call and the event's parts make a frame of their own. */
static ST_OWN_FRAME void connect_failed(const struct connect_call *call, long err)
{
	struct sock *sk = (struct sock *)(unsigned long)call->sk;
	struct st_extra x = {};
	struct st_flow f = {};
	struct st_owner o;
	__u8 proto = inet_proto(sk);

	if (!proto || not_before_syn(err, proto) || !task_wanted(ST_EV_FAIL, proto))
		return;
	flow_from_sk(sk, proto, &f);
	flow_set_dest(&f, call->addr);
	if (!flow_wanted(&f))
		return;
	owner_current(&o);
	x.ts_ns = o.ts_ns;
	x.duration_ns = o.ts_ns - call->ts_ns;
	x.reason = (__s32)err;
	emit_x(ST_EV_FAIL, &o, &f, sk, &x);
}

SEC("tracepoint/syscalls/sys_exit_connect")
int sys_connect_exit(struct sys_exit_rec *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct connect_call *c = bpf_map_lookup_elem(&connect_calls, &tid);
	struct connect_call copy;

	if (!c)
		return 0;
	copy = *c;
	bpf_map_delete_elem(&connect_calls, &tid);
	if (ctx->ret < 0 && !copy.began)
		connect_failed(&copy, -ctx->ret);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A connect that failed before any SYN left, as a fail event: the errno as
 * reason, the destination the process asked for, on the current task. Made
 * at the connect() syscall's exit (connect_fail.bpf.c) and at the completion
 * of an io_uring connect (tp_iouring.bpf.c), from the call kept at its start
 * (struct connect_call, connect_calls.bpf.h).
 */
#ifndef SOCKTRACE_CONNECT_FAILED_BPF_H
#define SOCKTRACE_CONNECT_FAILED_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "connect_calls.bpf.h"
#include "emit.bpf.h"

#define ERESTARTSYS	512	/* and the kernel's other restart codes above it */

/* the socket's protocol if it is a TCP or UDP socket of AF_INET(6), else 0 */
static __always_inline __u8 inet_proto(struct sock *sk)
{
	__u16 family = RD(sk, __sk_common.skc_family);
	__u16 proto = RD(sk, sk_protocol);

	if (family != AF_INET && family != AF_INET6)
		return 0;
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ? (__u8)proto : 0;
}

/*
 * The call connecting sk to the len bytes at uaddr (the process's memory),
 * into c. As much as the process gave is kept, up to a sockaddr_in6: a short
 * one fails (EINVAL), with what it holds of the destination; the rest reads
 * 0. False when there is nothing to report: sk no TCP or UDP socket, no
 * internet address (AF_UNSPEC: a disconnect), or an error already pending
 * (this call only collects it, a connect() called again after a non-blocking
 * one failed: the state change reported it).
 */
static __always_inline bool connect_call_of(struct sock *sk, const void *uaddr, __u64 len,
					    struct connect_call *c)
{
	__u16 family = 0;

	if (len > CONNECT_ADDR_LEN)
		len = CONNECT_ADDR_LEN;
	if (!sk || !inet_proto(sk) || len < sizeof(family) ||
	    bpf_probe_read_user(c->addr, len, uaddr))
		return false;
	__builtin_memcpy(&family, c->addr, sizeof(family));
	if ((family != AF_INET && family != AF_INET6) || RD(sk, sk_err))
		return false;
	c->sk = (__u64)(unsigned long)sk;
	c->ts_ns = bpf_ktime_get_ns();
	return true;
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

#endif /* SOCKTRACE_CONNECT_FAILED_BPF_H */

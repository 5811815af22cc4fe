/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A socket's 5-tuple (struct st_flow: ports host order, addresses network
 * order), its identity as a map key and as a cookie, and its namespace.
 */
#ifndef SOCKTRACE_FLOW_BPF_H
#define SOCKTRACE_FLOW_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "config.bpf.h"

static __always_inline bool v6_is_v4mapped(const __u8 *a)
{
	const __u32 *w = (const __u32 *)a;

	return w[0] == 0 && w[1] == 0 && w[2] == bpf_htonl(0x0000ffff);
}

static __always_inline bool v6_is_any(const __u8 *a)
{
	const __u32 *w = (const __u32 *)a;

	return (w[0] | w[1] | w[2] | w[3]) == 0;
}

/* The local end of a v6 socket sending to a v4 peer: v4-mapped or unspecified. */
static __always_inline void flow_local_to_v4(struct st_flow *f)
{
	f->family = 4;
	__builtin_memcpy(f->laddr, f->laddr + 12, 4);
	__builtin_memset(f->laddr + 4, 0, 12);
}

/*
 * A v6 socket talking to a v4-mapped peer is IPv4 on the wire: report it so.
 * The local side is then mapped too, or the unspecified address.
 */
static __always_inline void flow_unmap_v4(struct st_flow *f)
{
	if (f->family != 6 || !v6_is_v4mapped(f->raddr))
		return;
	if (!v6_is_v4mapped(f->laddr) && !v6_is_any(f->laddr))
		return;
	__builtin_memcpy(f->raddr, f->raddr + 12, 4);
	__builtin_memset(f->raddr + 4, 0, 12);
	flow_local_to_v4(f);
}

/* The socket's local port, host order. */
static __always_inline __u16 sk_lport(struct sock *sk)
{
	__u16 port = RD(sk, __sk_common.skc_num);

	/* skc_num is cleared when a closing socket gives its port back; sport stays */
	return port ? port : bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
}

/* The socket's remote port, host order. */
static __always_inline __u16 sk_rport(struct sock *sk)
{
	return bpf_ntohs(RD(sk, __sk_common.skc_dport));
}

/* The socket's own local and remote ends, as the kernel holds them now. */
static __always_inline void flow_from_sk(struct sock *sk, __u8 proto, struct st_flow *f)
{
	__u16 family = RD(sk, __sk_common.skc_family);

	f->proto = proto;
	f->lport = sk_lport(sk);
	f->rport = sk_rport(sk);
	if (family == AF_INET6) {
		f->family = 6;
		RD_BYTES(f->laddr, 16, sk, __sk_common.skc_v6_rcv_saddr);
		RD_BYTES(f->raddr, 16, sk, __sk_common.skc_v6_daddr);
		flow_unmap_v4(f);
	} else {
		f->family = 4;
		RD_BYTES(f->laddr, 4, sk, __sk_common.skc_rcv_saddr);
		RD_BYTES(f->raddr, 4, sk, __sk_common.skc_daddr);
	}
}

/* Replace the remote end with a destination given as a kernel sockaddr. */
static __always_inline void flow_set_dest(struct st_flow *f, const void *uaddr)
{
	__u16 family = 0;

	bpf_probe_read_kernel(&family, sizeof(family), uaddr);
	if (family == AF_INET) {
		const struct sockaddr_in *sin = uaddr;
		__u16 port = 0;

		bpf_probe_read_kernel(&port, sizeof(port), &sin->sin_port);
		f->rport = bpf_ntohs(port);
		__builtin_memset(f->raddr, 0, 16);
		bpf_probe_read_kernel(f->raddr, 4, &sin->sin_addr);
		if (f->family == 6)
			flow_local_to_v4(f);
	} else if (family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = uaddr;
		__u16 port = 0;

		bpf_probe_read_kernel(&port, sizeof(port), &sin6->sin6_port);
		f->rport = bpf_ntohs(port);
		bpf_probe_read_kernel(f->raddr, 16, &sin6->sin6_addr);
		flow_unmap_v4(f);
	}
}

/*
 * A socket as a map key: its address. (Held in a stack slot, a pointer may
 * serve as key bytes; only arithmetic on it is refused, see ptr_value().)
 */
#define sk_key(sk) ((__u64)(unsigned long)(sk))

static __always_inline __u64 sk_cookie(struct sock *sk)
{
	/* an opaque identity: the socket's address, mixed so it is not shown as is */
	__u64 x = ptr_value(sk) ^ cookie_salt;

	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ULL;
	x ^= x >> 27;
	return x;
}

/* the socket's network namespace (its inode number) */
static __always_inline __u32 sk_netns(struct sock *sk)
{
	/* through the helper, on every flavour: the verifier walks struct net slowly */
	return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
}

#endif /* SOCKTRACE_FLOW_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * UDP flows: a datagram that leaves is counted on its process; the first of
 * its flow (process and 5-tuple) makes the udp event, and udp_flows
 * remembers the flow until it idles out (the loader expires it).
 */
#ifndef SOCKTRACE_UDP_FLOW_BPF_H
#define SOCKTRACE_UDP_FLOW_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "emit.bpf.h"
#include "dns_query.bpf.h"

/* a datagram on the process's counters (made by its first flow's event) */
static __always_inline void count_udp_datagram(__u32 pid, __u64 bytes)
{
	struct st_proc_stats *ps = bpf_map_lookup_elem(&proc_stats, &pid);

	if (ps) {
		__sync_fetch_and_add(&ps->udp_packets, 1);
		__sync_fetch_and_add(&ps->tx_bytes, bytes);
		__sync_fetch_and_add(&ps->udp_tx_bytes, bytes);
	}
}

/*
 * A UDP datagram of bytes payload bytes, flow f, leaves socket sk: note its
 * flow as active, count it on its process; report the flow the first time
 * only. nat: its real destination (ST_EVF_NAT), or NULL.
 */
static __always_inline void udp_seen(struct st_flow *f, struct sock *sk, __u64 bytes,
				     const struct st_extra *nat)
{
	struct st_udp_key key = {};
	struct st_udp_val *v, fresh = {};
	struct st_owner o;

	if (!flow_wanted(f))
		return;
	key.pid = bpf_get_current_pid_tgid() >> 32;
	key.flow = *f;
	fresh.last_ns = bpf_ktime_get_ns();
	v = bpf_map_lookup_elem(&udp_flows, &key);
	if (v) {
		v->last_ns = fresh.last_ns;
		count_udp_datagram(key.pid, bytes);
		return;
	}
	if (bpf_map_update_elem(&udp_flows, &key, &fresh, BPF_NOEXIST)) {
		/* another CPU made it first, and reported it */
		count_udp_datagram(key.pid, bytes);
		return;
	}
	owner_current(&o);
	emit_x(ST_EV_UDP, &o, f, sk, nat);	/* creates the process's counters */
	count_udp_datagram(key.pid, bytes);
}

/* The UDP flow of a send on sk to uaddr (a kernel sockaddr, or NULL if connected). */
static __always_inline void udp_send(struct sock *sk, const void *uaddr, __u64 bytes)
{
	struct st_flow f = {};

	if (!sk)
		return;
	if (!want_dns && !task_wanted(ST_EV_UDP, IPPROTO_UDP))
		return;
	flow_from_sk(sk, IPPROTO_UDP, &f);
	if (uaddr)
		flow_set_dest(&f, uaddr);
	dns_query_seen(&f, sk);
	if (task_wanted(ST_EV_UDP, IPPROTO_UDP))
		udp_seen(&f, sk, bytes, NULL);
}

#endif /* SOCKTRACE_UDP_FLOW_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * UDP flows: a datagram that leaves is counted on its process; the first of
 * its flow (process and 5-tuple) makes the udp event, and udp_flows
 * remembers the flow until it idles out: a flow idle for --udp-idle has
 * ended, and its next datagram begins a new one (here, not by a walk of the
 * map from userspace: on the kprobe backend a bpf() call preempted on a CPU
 * makes that CPU's kprobe programs skip their runs).
 */
#ifndef SOCKTRACE_UDP_FLOW_BPF_H
#define SOCKTRACE_UDP_FLOW_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "emit.bpf.h"
#include "dns_query.bpf.h"
#include "nat_pending.bpf.h"

/* --udp-idle, in ns: a flow's end, and the period of the folding bound (the loader sets it) */
const volatile __u64 udp_idle_ns __weak = 60000000000ULL;

/* a datagram on its flow's and its process's counters (made by its first flow's event) */
static __always_inline void count_udp_datagram(struct st_udp_val *v, __u32 pid, __u32 dir,
					       __u64 bytes)
{
	struct st_proc_stats *ps;

	if (v) {
		__sync_fetch_and_add(&v->packets, 1);
		__sync_fetch_and_add(&v->bytes, bytes);
	}
	if (!count_procs || !(ps = bpf_map_lookup_elem(&proc_stats, &pid)))
		return;
	if (dir == ST_UDP_IN) {
		__sync_fetch_and_add(&ps->udp_rx_packets, 1);
		__sync_fetch_and_add(&ps->rx_bytes, bytes);
		__sync_fetch_and_add(&ps->udp_rx_bytes, bytes);
	} else {
		__sync_fetch_and_add(&ps->udp_packets, 1);
		__sync_fetch_and_add(&ps->tx_bytes, bytes);
		__sync_fetch_and_add(&ps->udp_tx_bytes, bytes);
	}
}

/*
 * A UDP datagram of bytes payload bytes, flow f, leaves (dir ST_UDP_OUT) or
 * is read from (ST_UDP_IN) socket sk: note its flow as active, count it on
 * the flow and its process; report the flow the first time only, its event
 * flagged evflags (ST_EVF_IN, ST_EVF_FOLDED). nat: its real destination
 * (ST_EVF_NAT, a sent flow's), or NULL.
 */
static __always_inline void udp_seen(struct st_flow *f, struct sock *sk, __u32 dir, __u8 evflags,
				     __u64 bytes, const struct st_extra *nat)
{
	struct st_udp_key key = {};
	struct st_udp_val *v;
	/*
	 * The new flow's value, then its event's extra: one after the other in
	 * the same stack bytes (the receive path's three calls are near the
	 * verifier's 512-byte bound)
	 */
	union {
		struct st_udp_val fresh;
		struct st_extra x;
	} u = {};
	struct st_udp_val *fresh = &u.fresh;
	struct st_owner o;

	/* with --tcp the loader makes udp_flows tiny: never reached then */
	if (!want_udp || !flow_wanted(f))
		return;
	key.pid = bpf_get_current_pid_tgid() >> 32;
	key.dir = dir;
	key.flow = *f;
	fresh->last_ns = bpf_ktime_get_ns();
	v = bpf_map_lookup_elem(&udp_flows, &key);
	/* signed: another CPU may have noted a later time since this one read it */
	if (v && (__s64)(fresh->last_ns - v->last_ns) <= (__s64)udp_idle_ns) {
		v->last_ns = fresh->last_ns;
		count_udp_datagram(v, key.pid, dir, bytes);
		return;
	}
	if (v)	/* idle for --udp-idle: that flow has ended (two CPUs at once: a flow more) */
		bpf_map_delete_elem(&udp_flows, &key);
	if (bpf_map_update_elem(&udp_flows, &key, fresh, BPF_NOEXIST)) {
		/* another CPU made it first, and reported it */
		count_udp_datagram(bpf_map_lookup_elem(&udp_flows, &key), key.pid, dir, bytes);
		return;
	}
	owner_current(&o);
	__builtin_memset(&u.x, 0, sizeof(u.x));
	u.x.flags = evflags;
	/* a sent flow's NAT (evflags 0 then) as it is, not copied */
	emit_x(ST_EV_UDP, &o, f, sk, nat ? nat : &u.x);	/* creates the process's counters */
	count_udp_datagram(bpf_map_lookup_elem(&udp_flows, &key), key.pid, dir, bytes);
}

/* the flow of a send on sk to uaddr (a kernel sockaddr, or NULL if connected) */
static __always_inline void send_flow(struct sock *sk, const void *uaddr, struct st_flow *f)
{
	flow_from_sk(sk, IPPROTO_UDP, f);
	if (uaddr)
		flow_set_dest(f, uaddr);
}

/*
 * A send on sk to uaddr is about to go: a DNS query is noted now, whatever
 * -e selects. Not at the send's return: on loopback the datagram is
 * delivered inside udp_sendmsg(), and a preemptible kernel can run the
 * server and bring its answer back before the sender returns.
 */
static __always_inline void udp_send_query(struct sock *sk, const void *uaddr)
{
	struct st_flow f = {};

	if (!want_dns || !sk)
		return;
	send_flow(sk, uaddr, &f);
	dns_query_seen(&f, sk);
}

/* The UDP flow of a send of bytes on sk to uaddr, once it went. */
static __always_inline void udp_send(struct sock *sk, const void *uaddr, __u64 bytes)
{
	struct st_flow f = {};
	bool held;

	if (!sk || !task_wanted(ST_EV_UDP, IPPROTO_UDP))
		return;
	send_flow(sk, uaddr, &f);
	/* the datagram has passed the OUTPUT hooks: a DNAT's binding is known */
	udp_seen(&f, sk, ST_UDP_OUT, 0, bytes, nat_pending_take(&f, &held));
	if (held)
		nat_pending_done();
}

#endif /* SOCKTRACE_UDP_FLOW_BPF_H */

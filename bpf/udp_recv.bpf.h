/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * UDP datagrams a process reads (docs/DESIGN.md#received-udp), counted as the
 * reading task takes each one off its socket, with the datagram's own headers
 * for its source:
 *
 * - fentry: the return of __skb_recv_udp(), which udp_recvmsg() and
 *   udpv6_recvmsg() call for every datagram they hand a process (recv(),
 *   read(), recvmsg(), each message of recvmmsg(), io_uring's receives); the
 *   flags say MSG_PEEK, which leaves the datagram queued (udp_dequeued());
 * - kprobe: the entry of skb_consume_udp(), where those two are done with
 *   each datagram they copied (a peek's too, told by its length: kprobe.bpf.c);
 * - tracepoint (Linux 6.3 and later): sock:sock_recv_length as the receive
 *   returns (socket, result, flags), the datagram gone by then; its source
 *   is the one noted from the head of the socket's queue before
 *   (udp_note_next()): after the previous read, or at sk_data_ready when the
 *   queue was empty.
 *
 * A flood from many source ports is bounded: past ST_UDP_IN_FLOWS_PER_PORT
 * new flows on one local port of a process in one --udp-idle period, a new
 * source is counted on the flow of its address with port 0, flagged
 * ST_EVF_FOLDED (udp_in_folded counts those datagrams).
 */
#ifndef SOCKTRACE_UDP_RECV_BPF_H
#define SOCKTRACE_UDP_RECV_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "udp_flow.bpf.h"
#include "udp_wire.bpf.h"

#define ST_MSG_PEEK	0x2

/* datagrams counted on a folded flow: reported by the loader */
__u64 udp_in_folded __weak = 0;
/* datagrams read whose source was not known, on no flow: reported by the loader */
__u64 udp_in_unmatched __weak = 0;

/* a datagram as its headers give it */
struct udp_rx_note {
	__u8 family;		/* 4 or 6; 0: no datagram noted */
	__u8 pad;
	__u16 sport;		/* host order */
	__u16 dport;		/* host order: must be the reading socket's port */
	__u16 payload;		/* host order */
	__u8 saddr[16];		/* network order */
};

/* new received flows of one local port of a process, in the current period */
struct udp_port_key {
	__u32 pid;
	__u16 lport;		/* host order */
	__u8 family;
	__u8 pad;
};

struct udp_port_val {
	__u64 since_ns;		/* the period began (CLOCK_MONOTONIC) */
	__u64 flows;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct udp_port_key);
	__type(value, struct udp_port_val);
} udp_in_ports SEC(".maps") __weak;

/*
 * The source, destination port and payload of the UDP datagram skb (a plain
 * address: read with the helper whatever the flavour). false: not one.
 */
static __always_inline bool udp_note_of_skb(const struct sk_buff *skb, struct udp_rx_note *n)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	struct wire_udp uh;

	__builtin_memset(n, 0, sizeof(*n));
	if (proto == ETH_P_IP) {
		struct wire_ipv4 ip;

		if (bpf_probe_read_kernel(&ip, sizeof(ip), head + BPF_CORE_READ(skb, network_header)) ||
		    ip.protocol != IPPROTO_UDP)
			return false;
		__builtin_memcpy(n->saddr, &ip.saddr, 4);
		n->family = 4;
	} else if (proto == ETH_P_IPV6) {
		struct wire_ipv6 ip6;

		if (bpf_probe_read_kernel(&ip6, sizeof(ip6), head + BPF_CORE_READ(skb, network_header)))
			return false;
		__builtin_memcpy(n->saddr, ip6.saddr, 16);
		n->family = 6;
	} else {
		return false;
	}
	/* where the kernel's udp_recvmsg() reads the source port from too */
	if (bpf_probe_read_kernel(&uh, sizeof(uh), head + BPF_CORE_READ(skb, transport_header)))
		return false;
	n->sport = bpf_ntohs(uh.source);
	n->dport = bpf_ntohs(uh.dest);
	n->payload = bpf_ntohs(uh.len) >= sizeof(uh) ? bpf_ntohs(uh.len) - sizeof(uh) : 0;
	return true;
}

/* a new received flow on f's local port: true if it must be folded */
static __always_inline bool udp_in_port_full(__u32 pid, const struct st_flow *f, __u64 now)
{
	struct udp_port_key k = { .pid = pid, .lport = f->lport, .family = f->family };
	struct udp_port_val fresh = { .since_ns = now, .flows = 1 }, *v;

	v = bpf_map_lookup_elem(&udp_in_ports, &k);
	if (!v) {
		bpf_map_update_elem(&udp_in_ports, &k, &fresh, BPF_NOEXIST);
		return false;
	}
	if (now - v->since_ns > udp_idle_ns) {	/* a new period (a race costs a flow or two) */
		v->since_ns = now;
		v->flows = 1;
		return false;
	}
	if (v->flows >= ST_UDP_IN_FLOWS_PER_PORT)
		return true;
	__sync_fetch_and_add(&v->flows, 1);
	return false;
}

/*
 * The current task read a datagram of bytes from a source not known: counted
 * on the process (created if need be), on no flow.
 */
static ST_OWN_FRAME void udp_count_unmatched(const struct st_flow *f, __u64 bytes)
{
	struct st_proc_stats *ps;
	struct st_owner o;

	if (!task_wanted(ST_EV_UDP, IPPROTO_UDP) || !flow_wanted(f))
		return;
	__sync_fetch_and_add(&udp_in_unmatched, 1);
	if (!count_procs)
		return;
	owner_current(&o);
	ps = proc_of(&o);
	if (!ps)
		return;
	__sync_fetch_and_add(&ps->udp_rx_packets, 1);
	__sync_fetch_and_add(&ps->udp_rx_unmatched, 1);
	__sync_fetch_and_add(&ps->rx_bytes, bytes);
	__sync_fetch_and_add(&ps->udp_rx_bytes, bytes);
}

/*
 * The current task read the datagram n from sk: count it on its flow. Its
 * own frame (ST_OWN_FRAME): the flow, the key and the event's owner would
 * not fit beside the hook's other locals. false: n is no note of sk's
 * (none, or a stale one: tracepoint backend), nothing counted.
 */
static ST_OWN_FRAME bool udp_count_in(struct sock *sk, const struct udp_rx_note *n)
{
	struct st_udp_key key = {};
	__u8 evflags = ST_EVF_IN;

	if (!sk || !task_wanted(ST_EV_UDP, IPPROTO_UDP))
		return true;
	flow_from_sk(sk, IPPROTO_UDP, &key.flow);
	if (!n->family || n->dport != key.flow.lport)
		return false;
	if (n->family == 4 && key.flow.family == 6)	/* v6 socket, v4 datagram */
		flow_local_to_v4(&key.flow);
	key.flow.rport = n->sport;
	__builtin_memcpy(key.flow.raddr, n->saddr, 16);
	key.pid = bpf_get_current_pid_tgid() >> 32;
	key.dir = ST_UDP_IN;
	if (!bpf_map_lookup_elem(&udp_flows, &key) &&
	    udp_in_port_full(key.pid, &key.flow, bpf_ktime_get_ns())) {
		key.flow.rport = 0;
		evflags |= ST_EVF_FOLDED;
		__sync_fetch_and_add(&udp_in_folded, 1);
	}
	udp_seen(&key.flow, sk, ST_UDP_IN, evflags, n->payload, NULL);
	return true;
}

/*
 * The reading task has skb, from sk: a datagram taken off the socket, unless
 * the read only peeks at it (flags has MSG_PEEK).
 */
static __always_inline void udp_dequeued(struct sock *sk, const struct sk_buff *skb,
					 unsigned int flags)
{
	struct udp_rx_note n;

	if (!skb || (flags & ST_MSG_PEEK))
		return;
	if (udp_note_of_skb(skb, &n))
		udp_count_in(sk, &n);
}

#endif /* SOCKTRACE_UDP_RECV_BPF_H */

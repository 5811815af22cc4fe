// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend's net:net_dev_queue program (tp_dev_queue), handed
 * BTF-typed pointers. Every packet that leaves a device passes here, in the
 * sending task: a TCP socket in SYN_SENT sends its SYN, so its connect is
 * reported now, the port chosen (tp_connect.bpf.h); a UDP datagram counts on
 * its flow, the destination from the packet's own headers, the source from
 * the socket, as on the other backends (udp_flow.bpf.h). Both are past the
 * OUTPUT hooks here: a destination NAT is read from the packet's conntrack
 * entry (nat.bpf.h).
 */
#include "read_btf.bpf.h"
#include "tp_connect.bpf.h"
#include "udp_flow.bpf.h"
#include "dns_tcp_query.bpf.h"
#include "udp_wire.bpf.h"

/*
 * The destination and payload length of an outgoing UDP datagram, from its
 * headers. Each read of packet memory is a helper call: the usual datagram
 * (IPv4 without options, IPv6 without extension headers) is read in one,
 * network and UDP header together.
 */
static __always_inline bool udp_dest_from_skb(struct sk_buff *skb, struct st_flow *f, __u32 *payload)
{
	unsigned char *head = RD(skb, head);
	__u16 nh = RD(skb, network_header);
	__u16 proto = bpf_ntohs(RD(skb, protocol));
	struct wire_udp uh;

	if (proto == ETH_P_IP) {
		struct {
			struct wire_ipv4 ip;
			struct wire_udp uh;
		} h;
		__u32 ihl;

		if (bpf_probe_read_kernel(&h, sizeof(h), head + nh))
			return false;
		if (h.ip.protocol != IPPROTO_UDP || (bpf_ntohs(h.ip.frag_off) & 0x1fff))
			return false;	/* not UDP, or a later fragment */
		ihl = (h.ip.version_ihl & 0x0f) * 4;
		if (ihl == sizeof(h.ip))
			uh = h.uh;
		else if (bpf_probe_read_kernel(&uh, sizeof(uh), head + nh + ihl))
			return false;	/* IP options */
		__builtin_memset(f->raddr, 0, 16);
		__builtin_memcpy(f->raddr, &h.ip.daddr, 4);
		f->family = 4;
	} else if (proto == ETH_P_IPV6) {
		struct {
			struct wire_ipv6 ip6;
			struct wire_udp uh;
		} h;

		if (bpf_probe_read_kernel(&h, sizeof(h), head + nh))
			return false;
		if (h.ip6.nexthdr == IPPROTO_UDP) {
			uh = h.uh;
		} else if (h.ip6.nexthdr == NEXTHDR_FRAGMENT) {
			/* the first fragment of a large datagram: the fragment header follows */
			struct {
				struct wire_frag fh;
				struct wire_udp uh;
			} fr;

			if (bpf_probe_read_kernel(&fr, sizeof(fr), head + nh + sizeof(h.ip6)))
				return false;
			if ((bpf_ntohs(fr.fh.frag_off) & ~0x7) || fr.fh.nexthdr != IPPROTO_UDP)
				return false;
			uh = fr.uh;
		} else {
			return false;
		}
		__builtin_memcpy(f->raddr, &h.ip6.daddr, 16);
		f->family = 6;
	} else {
		return false;
	}
	f->rport = bpf_ntohs(uh.dest);
	*payload = bpf_ntohs(uh.len) >= sizeof(uh) ? bpf_ntohs(uh.len) - sizeof(uh) : 0;
	return true;
}

/*
 * A UDP datagram of sk leaves. Its own frame, as the connect path beside it
 * (connect_done()): the program's stack is the larger of the two chains,
 * not their sum (ST_OWN_FRAME in quirks.bpf.h).
 */
static ST_OWN_FRAME void udp_datagram(struct sk_buff *skb, struct sock *sk)
{
	struct st_flow f = {}, d = {};
	struct st_extra x = {};
	__u32 payload = 0;

	if (!want_dns && !task_wanted(ST_EV_UDP, IPPROTO_UDP))
		return;
	if (!udp_dest_from_skb(skb, &d, &payload))
		return;
	flow_from_sk(sk, IPPROTO_UDP, &f);
	if (d.family == 4 && f.family == 6)	/* v6 socket, v4 datagram */
		flow_local_to_v4(&f);
	f.rport = d.rport;
	__builtin_memcpy(f.raddr, d.raddr, 16);
	/* the headers are past the NAT: the asked destination is conntrack's */
	skb_dnat(skb, &f, &x);
	dns_query_seen(&f, sk);
	if (task_wanted(ST_EV_UDP, IPPROTO_UDP))
		udp_seen(&f, sk, ST_UDP_OUT, 0, payload, x.flags ? &x : NULL);
}

SEC("tp_btf/net_dev_queue")
int BPF_PROG(tp_dev_queue, struct sk_buff *skb)
{
	struct sock *sk = RD(skb, sk);
	__u8 state;

	/*
	 * Every packet of the machine passes here: the cheap checks first. A
	 * request or time-wait socket is smaller than a struct sock: only
	 * look past its common part once the state says it is a full one.
	 */
	if (!sk)
		return 0;
	state = RD(sk, __sk_common.skc_state);
	if (state == TCP_SYN_SENT) {
		/* only TCP has this state: a SYN, the connect's port is chosen */
		dns_tcp_port_chosen(sk);
		connect_done(sk, skb);
		return 0;
	}
	if (state == TCP_TIME_WAIT || state == TCP_NEW_SYN_RECV || RD(sk, sk_protocol) != IPPROTO_UDP)
		return 0;
	udp_datagram(skb, sk);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

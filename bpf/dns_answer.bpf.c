// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * DNS answers as the process receives them: a cgroup_skb/ingress program on
 * the cgroup v2 root runs for every packet a socket of the machine receives
 * (loopback and every network namespace included), whatever backend traces
 * the rest. Only a UDP datagram from port 53 or 5353, or a TCP segment from
 * port 53 that holds one whole message, is copied, at most ST_DNS_CAP bytes,
 * to dns_events, with the sender of its query (bpf/dns_query.bpf.h, for TCP
 * bpf/dns_tcp_query.bpf.h). Every packet is let through.
 */
#include "dns_maps.bpf.h"

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define IP_MF		0x2000
#define IP_OFFMASK	0x1fff

struct udp_ports {
	__be16 source;
	__be16 dest;
	__be16 len;
	__be16 check;
};

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&dns_stats, &which);

	if (c)
		*c += 1;
}

/* n: the bytes to copy, min(len, ST_DNS_CAP), in a register of its own */
static __noinline int copy_answer(struct __sk_buff *skb, __u32 off, struct st_dns_key *key,
				  __u32 len, __u64 n)
{
	struct st_dns_query *q;
	struct st_dns_event *e;

	/*
	 * The verifier must see both bounds on the register passed to the copy:
	 * the barriers keep the compiler from folding the checks into one.
	 */
	asm volatile("" : "+r"(n));
	if (n > ST_DNS_CAP)
		return 0;
	asm volatile("" : "+r"(n));
	if (n < 12)
		return 0;
	q = bpf_map_lookup_elem(&dns_queries, key);
	e = bpf_ringbuf_reserve(&dns_events, sizeof(*e), 0);
	if (!e) {
		count(ST_DNS_LOST);
		return 0;
	}
	e->ts_ns = bpf_ktime_get_ns();
	if (q)
		e->q = *q;
	else
		__builtin_memset(&e->q, 0, sizeof(e->q));
	e->key = *key;
	__builtin_memcpy(e->laddr, key + 1, 16);	/* the destination follows the key */
	e->len = (__u16)len;
	e->pad = 0;
	if (bpf_skb_load_bytes(skb, off, e->data, n)) {
		bpf_ringbuf_discard(e, 0);
		return 0;
	}
	e->caplen = (__u16)n;
	bpf_ringbuf_submit(e, 0);
	count(ST_DNS_SEEN);
	return 0;
}

/*
 * The first 8 bytes of the transport header at off into uh: UDP's header,
 * or TCP's ports (both begin with them) and sequence number. 0 when the
 * packet comes from a DNS port (TCP: 53 only, no mDNS over TCP).
 */
static __always_inline int dns_ports(struct __sk_buff *skb, __u32 off, __u8 proto,
				     struct udp_ports *uh)
{
	if (bpf_skb_load_bytes(skb, off, uh, sizeof(*uh)))
		return -1;
	if (proto == IPPROTO_UDP)
		return dns_port(bpf_ntohs(uh->source)) ? 0 : -1;
	return bpf_ntohs(uh->source) == ST_DNS_PORT ? 0 : -1;
}

/*
 * The message a TCP segment from port 53 carries, when it carries one whole:
 * its payload (len bytes at off) is the 2-byte length and that many bytes. A
 * message split over segments, or two in one, is not read. Sets *off and
 * *len to the message's; 0 if whole.
 */
static __always_inline int tcp_message(struct __sk_buff *skb, __u32 *off, __u32 *len)
{
	struct tcphdr th;
	__u16 prefix;
	__u32 hl;

	if (bpf_skb_load_bytes(skb, *off, &th, sizeof(th)))
		return -1;
	hl = th.doff * 4;
	if (hl < sizeof(th) || *len < hl + sizeof(prefix))
		return -1;	/* no payload: the handshake, an ACK, the FIN */
	if (bpf_skb_load_bytes(skb, *off + hl, &prefix, sizeof(prefix)))
		return -1;
	if (bpf_ntohs(prefix) != *len - hl - sizeof(prefix))
		return -1;
	*off += hl + sizeof(prefix);
	*len = bpf_ntohs(prefix);
	return 0;
}

/*
 * Most packets are not DNS: told from the headers in the packet's linear
 * data, read in place (no helper call, nothing copied). 0 when the packet is
 * certainly not from a DNS port; 1 when it may be, or its headers are not
 * all in the linear data: then the copies below decide.
 */
static __always_inline int maybe_dns(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u8 proto;
	__u32 off;
	__be16 *src;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = data;

		if ((void *)(ip + 1) > end)
			return 1;
		proto = ip->protocol;
		off = (ip->ihl & 0xf) * 4;
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = data;

		if ((void *)(ip6 + 1) > end)
			return 1;
		proto = ip6->nexthdr;
		off = sizeof(*ip6);
	} else {
		return 0;
	}
	if (proto != IPPROTO_UDP && proto != IPPROTO_TCP)
		return 0;	/* as below: no IPv6 extension header is followed */
	src = data + off;
	if ((void *)(src + 1) > end)
		return 1;
	return proto == IPPROTO_UDP ? dns_port(bpf_ntohs(*src)) : bpf_ntohs(*src) == ST_DNS_PORT;
}

SEC("cgroup_skb/ingress")
int dns_ingress(struct __sk_buff *skb)
{
	/* the key, then the answer's destination: copy_answer() takes both as one */
	struct {
		struct st_dns_key key;
		__u8 laddr[16];
	} at = {};
	struct st_dns_key *k = &at.key;
	__u8 *laddr = at.laddr;
	struct udp_ports uh;
	__u32 off, len;	/* the transport header, and it with its payload */
	__u8 proto;

	if (!maybe_dns(skb))
		return 1;
	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		struct iphdr ip;

		if (bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)) ||
		    (ip.protocol != IPPROTO_UDP && ip.protocol != IPPROTO_TCP) ||
		    (bpf_ntohs(ip.frag_off) & (IP_MF | IP_OFFMASK)))
			return 1;
		proto = ip.protocol;
		off = ip.ihl * 4;
		if (dns_ports(skb, off, proto, &uh) || bpf_ntohs(ip.tot_len) < off)
			return 1;
		len = bpf_ntohs(ip.tot_len) - off;
		k->family = 4;
		__builtin_memcpy(k->raddr, &ip.saddr, 4);
		__builtin_memcpy(laddr, &ip.daddr, 4);
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr ip6;

		if (bpf_skb_load_bytes(skb, 0, &ip6, sizeof(ip6)) ||
		    (ip6.nexthdr != IPPROTO_UDP && ip6.nexthdr != IPPROTO_TCP))
			return 1;
		proto = ip6.nexthdr;
		off = sizeof(ip6);
		if (dns_ports(skb, off, proto, &uh))
			return 1;
		len = bpf_ntohs(ip6.payload_len);
		k->family = 6;
		__builtin_memcpy(k->raddr, &ip6.saddr, 16);
		__builtin_memcpy(laddr, &ip6.daddr, 16);
	} else {
		return 1;
	}
	k->proto = proto;
	k->lport = bpf_ntohs(uh.dest);
	k->rport = bpf_ntohs(uh.source);
	if (proto == IPPROTO_UDP) {
		if (bpf_ntohs(uh.len) < sizeof(uh))
			return 1;
		len = bpf_ntohs(uh.len) - sizeof(uh);
		off += sizeof(uh);
	} else if (tcp_message(skb, &off, &len)) {
		return 1;
	}
	copy_answer(skb, off, k, len, len < ST_DNS_CAP ? len : ST_DNS_CAP);
	return 1;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

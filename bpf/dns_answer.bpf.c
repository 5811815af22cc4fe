// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * DNS answers as the process receives them: a cgroup_skb/ingress program on
 * the cgroup v2 root runs for every packet a socket of the machine receives
 * (loopback and every network namespace included), whatever backend traces
 * the rest. Only a UDP datagram from port 53 or 5353 is copied, at most
 * ST_DNS_CAP bytes, to dns_events, with the sender of its query
 * (bpf/dns_query.bpf.h). Every packet is let through.
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
	__u32 off, len;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		struct iphdr ip;

		if (bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)) || ip.protocol != IPPROTO_UDP ||
		    (bpf_ntohs(ip.frag_off) & (IP_MF | IP_OFFMASK)))
			return 1;
		off = ip.ihl * 4;
		if (bpf_skb_load_bytes(skb, off, &uh, sizeof(uh)) || !dns_port(bpf_ntohs(uh.source)))
			return 1;
		k->family = 4;
		__builtin_memcpy(k->raddr, &ip.saddr, 4);
		__builtin_memcpy(laddr, &ip.daddr, 4);
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr ip6;

		if (bpf_skb_load_bytes(skb, 0, &ip6, sizeof(ip6)) || ip6.nexthdr != IPPROTO_UDP)
			return 1;
		off = sizeof(ip6);
		if (bpf_skb_load_bytes(skb, off, &uh, sizeof(uh)) || !dns_port(bpf_ntohs(uh.source)))
			return 1;
		k->family = 6;
		__builtin_memcpy(k->raddr, &ip6.saddr, 16);
		__builtin_memcpy(laddr, &ip6.daddr, 16);
	} else {
		return 1;
	}
	k->lport = bpf_ntohs(uh.dest);
	k->rport = bpf_ntohs(uh.source);
	if (bpf_ntohs(uh.len) < sizeof(uh))
		return 1;
	len = bpf_ntohs(uh.len) - sizeof(uh);
	copy_answer(skb, off + sizeof(uh), k, len, len < ST_DNS_CAP ? len : ST_DNS_CAP);
	return 1;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

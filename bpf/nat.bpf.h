/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The real destination behind a destination NAT, from the connection-tracking
 * entry an outgoing packet carries once it has passed the OUTPUT hooks
 * (skb->_nfct; the tracepoint backend's net:net_dev_queue is after them). The
 * entry's ORIGINAL tuple is the packet as the process sent it; its REPLY
 * tuple's source is where the kernel really sends it. They differ by the
 * DNAT. docs/DESIGN.md#the-real-destination-behind-nat
 */
#ifndef SOCKTRACE_NAT_BPF_H
#define SOCKTRACE_NAT_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "emit.bpf.h"

#define ST_NFCT_PTRMASK	(~7UL)	/* the low 3 bits of skb->_nfct are the ctinfo */
/* nf_conn.status: a DNAT changed the entry's tuple (uapi nf_conntrack_common.h, IPS_DST_NAT_BIT 5) */
#define ST_IPS_DST_NAT	(1UL << 5)
#define ST_AF_INET	2
#define ST_AF_INET6	10

/*
 * One end of a struct nf_conntrack_tuple, as the kernel lays it out (the
 * layout has not changed since conntrack was merged): an address (IPv4 in the
 * first 4 bytes; the kernel zeroes the tuple before filling it), a port in
 * network order, then 2 bytes that differ between the ends (src: l3num; dst:
 * protonum, dir). Declared here, not relocated: one CO-RE type fewer.
 */
struct ct_end {
	__u8 addr[16];
	__u16 port;		/* network byte order */
	__u16 tail;
};

struct ct_tuple {
	struct ct_end src;
	struct ct_end dst;
};

/* BPF has no memcmp(): 4 words */
static __always_inline bool same_addr(const __u8 *a, const __u8 *b)
{
	const __u32 *x = (const __u32 *)a, *y = (const __u32 *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}

/*
 * ct, the conntrack entry of flow f's packets: if its destination was
 * rewritten, f's remote end becomes what the process asked for (the ORIGINAL
 * tuple's destination: for an unconnected UDP send the headers already carry
 * the rewritten one), and x gets the real one (ST_EVF_NAT). With same_ports,
 * the entry must also be f's by its ports and asked destination (an entry
 * not taken from f's own packet). Nothing changes when conntrack's types are
 * unknown, or the destination was not rewritten.
 */
static ST_OWN_FRAME void ct_dnat(struct nf_conn *ct, struct st_flow *f, struct st_extra *x,
				 bool same_ports)
{
	struct ct_tuple orig = {}, reply = {};
	__u16 l3num = f->family == 6 ? ST_AF_INET6 : ST_AF_INET;
	__u64 status;

	if (!bpf_core_type_exists(struct nf_conn))
		return;
	/* most tracked packets are not NATed: one word read, not two tuples */
	if (bpf_core_read(&status, sizeof(status), &ct->status) || !(status & ST_IPS_DST_NAT))
		return;
	if (bpf_core_read(&orig, sizeof(orig), &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple) ||
	    bpf_core_read(&reply, sizeof(reply), &ct->tuplehash[IP_CT_DIR_REPLY].tuple))
		return;
	if (orig.src.tail != l3num || (orig.dst.tail & 0xff) != f->proto)
		return;		/* another family's or protocol's entry: not this packet's */
	if (orig.dst.port == reply.src.port && same_addr(orig.dst.addr, reply.src.addr))
		return;		/* the destination was not rewritten */
	if (same_ports && (bpf_ntohs(orig.src.port) != f->lport ||
			   bpf_ntohs(orig.dst.port) != f->rport || !same_addr(orig.dst.addr, f->raddr)))
		return;		/* another connection's */
	__builtin_memcpy(f->raddr, orig.dst.addr, 16);
	f->rport = bpf_ntohs(orig.dst.port);
	__builtin_memcpy(x->nat_raddr, reply.src.addr, 16);
	x->nat_rport = bpf_ntohs(reply.src.port);
	if (f->family == 4) {	/* the rest of an IPv4 address is zero, whatever the entry held */
		__builtin_memset(f->raddr + 4, 0, 12);
		__builtin_memset(x->nat_raddr + 4, 0, 12);
	}
	x->flags |= ST_EVF_NAT;
}

/* The packet skb of flow f leaves with its conntrack entry, if any: ct_dnat(). */
static __always_inline void skb_dnat(struct sk_buff *skb, struct st_flow *f, struct st_extra *x)
{
	__u64 nfct;

	if (!bpf_core_field_exists(skb->_nfct))
		return;
	nfct = RD(skb, _nfct) & ST_NFCT_PTRMASK;
	if (nfct)	/* else not tracked, or untracked (notrack) */
		ct_dnat((struct nf_conn *)nfct, f, x, false);
}

#endif /* SOCKTRACE_NAT_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * IPv4, IPv6 and UDP headers as on the wire (fields in network byte order),
 * for the programs that read a datagram's own headers: its destination as it
 * leaves (tp_dev_queue.bpf.c), its source as a process reads it
 * (udp_recv.bpf.h).
 */
#ifndef SOCKTRACE_UDP_WIRE_BPF_H
#define SOCKTRACE_UDP_WIRE_BPF_H

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define NEXTHDR_FRAGMENT 44

/*
 * Packet headers, as on the wire (fields in network byte order). Their
 * layout never changes, so they are declared here rather than taken from
 * vmlinux.h: a vmlinux.h type is relocated at load (CO-RE), and each
 * relocated type costs a search of the kernel's BTF.
 */
struct wire_ipv4 {
	__u8 version_ihl;	/* ihl: the low 4 bits, in 32-bit words */
	__u8 tos;
	__u16 tot_len;
	__u16 id;
	__u16 frag_off;		/* flags: the top 3 bits; offset: the low 13 */
	__u8 ttl;
	__u8 protocol;
	__u16 check;
	__u32 saddr;
	__u32 daddr;
};

struct wire_ipv6 {
	__u32 version_class_flow;
	__u16 payload_len;
	__u8 nexthdr;
	__u8 hop_limit;
	__u8 saddr[16];
	__u8 daddr[16];
};

struct wire_frag {
	__u8 nexthdr;
	__u8 reserved;
	__u16 frag_off;		/* offset in 8-byte units: the top 13 bits */
	__u32 identification;
};

struct wire_udp {
	__u16 source;
	__u16 dest;
	__u16 len;		/* header and payload */
	__u16 check;
};

#endif /* SOCKTRACE_UDP_WIRE_BPF_H */

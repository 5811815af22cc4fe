// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend: no kprobe and no trampoline, only tracepoints, so it
 * runs on kernels built without kprobes or where fentry is refused. This file
 * holds its tp_btf programs; the syscall exits are in tp_sys.bpf.c.
 *
 * connect: sock:inet_sock_set_state CLOSE -> SYN_SENT runs in the task that
 *   called connect(), but before the local port is chosen. It records the task
 *   as the owner of the socket. The event is emitted, once, with the final
 *   5-tuple, at whichever comes first: the SYN passing net:net_dev_queue (the
 *   port is chosen by then; on every route the SYN leaves through a device,
 *   loopback included) or the socket leaving SYN_SENT (established, or closed
 *   when refused/timed out, or before any SYN: the tuple is still whole at
 *   that transition).
 * accept: the exit of accept()/accept4(); the new descriptor leads to the
 *   socket through the task's file table.
 * udp: net:net_dev_queue sees every datagram that leaves, in the sending task;
 *   the destination comes from the packet's own headers, the source from the
 *   socket, as on the other backends.
 */
#define ST_BTF_POINTERS
#include "tp.bpf.h"

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define NEXTHDR_FRAGMENT 44

/*
 * Packet headers, as on the wire (fields in network byte order). Their
 * layout never changes, so they are declared here rather than taken from
 * vmlinux.h: a vmlinux.h type is relocated at load (CO-RE), and each
 * relocated type costs a search of the kernel's BTF (about 1 ms).
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

/*
 * Take the report of a connect: true for one caller only. The two callers
 * (the SYN leaving, the socket leaving SYN_SENT) hold the socket's lock: the
 * SYN goes out from connect() or from the retransmit timer, and a state
 * changes only under it; so one runs after the other and finds the flag as
 * the other left it. Not so for a SYN held back and sent later from
 * elsewhere (one that waited for its next hop's link address, say): if it
 * left at the very moment the socket left SYN_SENT, the connect could be
 * reported twice. A compare-and-swap would settle that too, but 5.10 refuses
 * the instruction in any program it is in, dead code or not.
 */
static __always_inline bool connect_claim(struct tcp_owner *t)
{
	if (!t->unreported)
		return false;
	t->unreported = 0;
	return true;
}

/*
 * The connect on sk is reported, if it was not yet: its SYN leaves (from
 * net_dev_queue, sk in SYN_SENT), or it leaves SYN_SENT. Its owner has been
 * in tcp_owners since the connect began (connect_start()): a connect costs
 * one entry, updated once and deleted once; the event is made from that
 * entry, which also keeps the 5-tuple for a close that goes unseen
 * (close_late()). Not inlined: see connect_start().
 */
static __noinline void connect_done(struct sock *sk)
{
	__u64 key = sk_key(sk);
	struct tcp_owner *t = bpf_map_lookup_elem(&tcp_owners, &key);

	if (!t || !connect_claim(t))
		return;
	flow_from_sk(sk, IPPROTO_TCP, &t->flow);
	if (!flow_wanted(&t->flow)) {
		owner_drop(key);	/* filtered out by its ports: its end is too */
		return;
	}
	emit_x(ST_EV_CONNECT, &t->o, &t->flow, sk, NULL);	/* reads the netns into t->o */
	owner_netns(&t->o, sk);
}

/*
 * The current task starts a connect on sk: keep it as the owner, the connect
 * unreported (the local port is not chosen yet). Not inlined: its locals
 * would add to the program's stack frame, which with the close path's calls
 * must fit in 512 bytes before 6.13.
 */
static __noinline void connect_start(struct sock *sk)
{
	struct tcp_owner t = { .type = ST_EV_CONNECT, .unreported = 1 };
	__u64 key = sk_key(sk);

	if (!task_wanted(ST_EV_CONNECT, IPPROTO_TCP))
		return;
	owner_current(&t.o);
	owners_begin();
	if (bpf_map_update_elem(&tcp_owners, &key, &t, BPF_ANY))
		__sync_fetch_and_add(&owners_full, 1);
}

static __always_inline void tp_state(struct sock *sk, int oldstate, int newstate)
{
	if (RD(sk, sk_protocol) != IPPROTO_TCP)
		return;
	if (oldstate == TCP_SYN_SENT)
		connect_done(sk);	/* first: a failed connect is a connect too */
	tcp_state_change(sk, oldstate, newstate);
	if (newstate == TCP_SYN_SENT)
		connect_start(sk);
}

/* tcp_state_change()'s, and the end of SYN_SENT: the connect may be unreported */
static __always_inline bool tp_state_wanted(int oldstate, int newstate)
{
	return oldstate == TCP_SYN_SENT || state_change_wanted(oldstate, newstate);
}

/* tp_set_state, tp_set_state_nested, tp_set_state_work: see STATE_PROGRAMS in common.bpf.h */
STATE_PROGRAMS(tp_set_state, tp_state, tp_state_wanted)

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
 * A UDP datagram of sk leaves. Not inlined, as the connect path beside it is
 * not: each brings its own frame, and the program's stack is the larger of
 * the two chains, not their sum (512 bytes in all before 6.13).
 */
static __noinline void udp_datagram(struct sk_buff *skb, struct sock *sk)
{
	struct st_flow f = {}, d = {};
	__u32 payload = 0;

	if (!task_wanted(ST_EV_UDP, IPPROTO_UDP) || !udp_dest_from_skb(skb, &d, &payload))
		return;
	flow_from_sk(sk, IPPROTO_UDP, &f);
	if (d.family == 4 && f.family == 6)	/* v6 socket, v4 datagram */
		flow_local_to_v4(&f);
	f.rport = d.rport;
	__builtin_memcpy(f.raddr, d.raddr, 16);
	udp_seen(&f, sk, payload);
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
		connect_done(sk);
		return 0;
	}
	if (state == TCP_TIME_WAIT || state == TCP_NEW_SYN_RECV || RD(sk, sk_protocol) != IPPROTO_UDP)
		return 0;
	udp_datagram(skb, sk);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

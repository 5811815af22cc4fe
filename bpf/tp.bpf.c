// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend: no kprobe and no trampoline, only tracepoints, so it
 * runs on kernels built without kprobes or where fentry is refused.
 *
 * connect: sock:inet_sock_set_state CLOSE -> SYN_SENT runs in the task that
 *   called connect(), but before the local port is chosen. It records the task
 *   as the owner of the socket. The event is emitted, once, with the final
 *   5-tuple, at whichever comes first: the return of connect() (syscall exit
 *   tracepoint) or the socket leaving SYN_SENT (established, or closed when
 *   refused/timed out: the tuple is still whole at that transition).
 * accept: the exit of accept()/accept4(); the new descriptor leads to the
 *   socket through the task's file table.
 * udp: net:net_dev_queue sees every datagram that leaves, in the sending task;
 *   the destination comes from the packet's own headers, the source from the
 *   socket, as on the other backends.
 */
#include "common.bpf.h"

#define S_IFMT		00170000
#define S_IFSOCK	0140000
#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define NEXTHDR_FRAGMENT 44

/* sockets in SYN_SENT whose connect event is not out yet: socket -> owner */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct st_owner);
} tp_connecting SEC(".maps");

/* thread -> the socket its connect() in progress put in SYN_SENT */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} tp_connect_calls SEC(".maps");

static __always_inline void connect_done(struct sock *sk)
{
	__u64 key = (__u64)(unsigned long)sk;
	struct st_owner *o = bpf_map_lookup_elem(&tp_connecting, &key);
	struct st_owner owner;
	struct st_flow f = {};

	if (!o)
		return;
	owner = *o;
	if (bpf_map_delete_elem(&tp_connecting, &key))
		return;	/* the other path emitted it */
	flow_from_sk(sk, IPPROTO_TCP, &f);
	if (flow_wanted(&f))
		emit(ST_EV_CONNECT, &owner, &f, sk);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tp_set_state, struct sock *sk, int oldstate, int newstate)
{
	__u64 key = (__u64)(unsigned long)sk;

	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	if (oldstate == TCP_SYN_SENT)
		connect_done(sk);	/* first: a failed connect is a connect too */
	tcp_state_change(sk, oldstate, newstate);
	if (newstate == TCP_SYN_SENT) {
		struct st_owner o;
		__u32 tid;

		if (!task_wanted(ST_EV_CONNECT, IPPROTO_TCP))
			return 0;
		owner_current(&o);
		tid = o.tid;
		bpf_map_update_elem(&tp_connecting, &key, &o, BPF_ANY);
		bpf_map_update_elem(&tp_connect_calls, &tid, &key, BPF_ANY);
	}
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int tp_connect_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *skp = bpf_map_lookup_elem(&tp_connect_calls, &tid);
	__u64 sk;

	if (!skp)
		return 0;
	sk = *skp;
	bpf_map_delete_elem(&tp_connect_calls, &tid);
	connect_done((struct sock *)sk);
	return 0;
}

/* The socket behind descriptor fd of the current task, or NULL. */
static __always_inline struct sock *sk_of_fd(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	struct file *file = NULL;
	struct socket *sock;

	if (fd < 0 || fd >= max)
		return NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	if (!file || (BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return NULL;
	sock = BPF_CORE_READ(file, private_data);
	return BPF_CORE_READ(sock, sk);
}

static __always_inline int accept_exit(long ret)
{
	struct sock *sk;
	__u16 family;

	if (ret < 0 || !task_wanted(ST_EV_ACCEPT, IPPROTO_TCP))
		return 0;
	sk = sk_of_fd(ret);
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	tcp_open(ST_EV_ACCEPT, sk);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int tp_accept4_exit(struct trace_event_raw_sys_exit *ctx)
{
	return accept_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int tp_accept_exit(struct trace_event_raw_sys_exit *ctx)
{
	return accept_exit(ctx->ret);
}

/* The destination and payload length of an outgoing UDP datagram, from its headers. */
static __always_inline bool udp_dest_from_skb(struct sk_buff *skb, struct st_flow *f, __u32 *payload)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	struct udphdr uh;
	__u32 thoff;

	if (proto == ETH_P_IP) {
		struct iphdr ip;

		if (bpf_probe_read_kernel(&ip, sizeof(ip), head + nh))
			return false;
		if (ip.protocol != IPPROTO_UDP || (bpf_ntohs(ip.frag_off) & 0x1fff))
			return false;	/* not UDP, or a later fragment */
		thoff = nh + ip.ihl * 4;
		__builtin_memset(f->raddr, 0, 16);
		__builtin_memcpy(f->raddr, &ip.daddr, 4);
		f->family = 4;
	} else if (proto == ETH_P_IPV6) {
		struct ipv6hdr ip6;
		__u8 next;

		if (bpf_probe_read_kernel(&ip6, sizeof(ip6), head + nh))
			return false;
		next = ip6.nexthdr;
		thoff = nh + sizeof(ip6);
		if (next == NEXTHDR_FRAGMENT) {	/* first fragment of a large datagram */
			struct frag_hdr fh;

			if (bpf_probe_read_kernel(&fh, sizeof(fh), head + thoff))
				return false;
			if (bpf_ntohs(fh.frag_off) & ~0x7)
				return false;
			next = fh.nexthdr;
			thoff += sizeof(fh);
		}
		if (next != IPPROTO_UDP)
			return false;
		__builtin_memcpy(f->raddr, &ip6.daddr, 16);
		f->family = 6;
	} else {
		return false;
	}
	if (bpf_probe_read_kernel(&uh, sizeof(uh), head + thoff))
		return false;
	f->rport = bpf_ntohs(uh.dest);
	*payload = bpf_ntohs(uh.len) >= sizeof(uh) ? bpf_ntohs(uh.len) - sizeof(uh) : 0;
	return true;
}

SEC("tp_btf/net_dev_queue")
int BPF_PROG(tp_dev_queue, struct sk_buff *skb)
{
	struct sock *sk = BPF_CORE_READ(skb, sk);
	struct st_flow f = {}, d = {};
	__u32 payload = 0;

	/* every packet of the machine passes here: the cheap checks first */
	if (!sk || !task_wanted(ST_EV_UDP, IPPROTO_UDP))
		return 0;
	if (!udp_dest_from_skb(skb, &d, &payload) || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_UDP)
		return 0;
	flow_from_sk(sk, IPPROTO_UDP, &f);
	if (d.family == 4 && f.family == 6)	/* v6 socket, v4 datagram */
		flow_local_to_v4(&f);
	f.rport = d.rport;
	__builtin_memcpy(f.raddr, d.raddr, 16);
	udp_seen(&f, sk, payload);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

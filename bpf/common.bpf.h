/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared by every socktrace BPF program: the maps, the filters the loader
 * sets before load (read-only data, so the verifier prunes what is off), and
 * the helpers that turn a struct sock into an event.
 *
 * Each bpf/ source file includes this header; `bpftool gen object` links them into
 * one object. Maps and globals are __weak so that the linker merges the
 * identical definitions every file carries into one.
 */
#ifndef SOCKTRACE_COMMON_BPF_H
#define SOCKTRACE_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "socktrace.h"

#define AF_INET		2
#define AF_INET6	10
#define EINPROGRESS	115
#define EALREADY	114
#define EISCONN		106
#define ECONNABORTED	103
#define TCP_ESTABLISHED	1
#define TCP_SYN_SENT	2
#define TCP_CLOSE	7
#define TCP_SYN_RECV	3
#define TCP_LISTEN	10
#define TCP_TIME_WAIT	6
#define TCP_NEW_SYN_RECV 12

/*
 * RD(p, a, b, ...) reads p->a->b... . Programs handed pointers typed by BTF
 * (tp_btf, fentry/fexit) load the fields directly: one instruction each, a
 * fault reads as 0. Programs handed plain addresses (kprobes, perf
 * tracepoints) go through bpf_probe_read_kernel(), a helper call per step.
 * A source file defines ST_BTF_POINTERS before this header to choose the
 * first; its every function then expects BTF-typed pointers. Either way the
 * field offsets are relocated (CO-RE) to the running kernel's.
 */
#ifdef ST_BTF_POINTERS
#define ___st_rd2(p, a)		((p)->a)
#define ___st_rd3(p, a, b)	((p)->a->b)
#define ___st_rd4(p, a, b, c)	((p)->a->b->c)
#define ___st_pick(_1, _2, _3, _4, n, ...) n
#define RD(...) ___st_pick(__VA_ARGS__, ___st_rd4, ___st_rd3, ___st_rd2, x)(__VA_ARGS__)
/* n bytes at field f of p (an address, array or struct member) */
#define RD_BYTES(dst, n, p, f)	__builtin_memcpy(dst, &(p)->f, n)
/* a cast does not change the type the verifier knows: ask the kernel */
#ifndef TCP_SK
#define TCP_SK(sk)		bpf_skc_to_tcp_sock(sk)
#endif
#else
#define RD(...)			BPF_CORE_READ(__VA_ARGS__)
#define RD_BYTES(dst, n, p, f)	bpf_core_read(dst, n, &(p)->f)
#define TCP_SK(sk)		((struct tcp_sock *)(sk))
#endif

/* ---- filters, written by the loader into .rodata before load ---------- */
const volatile __u32 filter_pids[ST_MAX_PIDS] __weak = {};
const volatile __u32 n_filter_pids __weak = 0;
const volatile struct st_port_range filter_ports[ST_MAX_PORTS] __weak = {};
const volatile __u32 n_filter_ports __weak = 0;
const volatile __u32 event_mask __weak = ~0u;	/* ST_EV_BIT() of the kinds streamed */
const volatile __u32 work_mask __weak = ~0u;	/* the kinds to follow: event_mask and what
						 * they need (a fail needs its connect) */
const volatile __u8 want_tcp __weak = 1;
const volatile __u8 want_udp __weak = 1;
const volatile __u8 want_v4 __weak = 1;
const volatile __u8 want_v6 __weak = 1;
const volatile __u64 cookie_salt __weak = 0;	/* random per run */
const volatile __u32 filter_uid __weak = ~0u;	/* ~0: any user */
const volatile char filter_comm[ST_COMM_LEN] __weak = {};	/* "": any name */
const volatile __u8 stream __weak = 1;	/* 0: counters only, no events to the ring buffer */
/*
 * Tests only (the loader sets it from SOCKTRACE_TEST_LOSE_CLOSE_PORT, and
 * says so): closes of sockets with this local or remote port are ignored,
 * as if the kernel had not run the state-change programs for them, so that
 * tests/live.c can check that such a close still goes out, late. 0 (always,
 * outside tests): the verifier drops the check.
 */
const volatile __u16 test_lose_close_port __weak = 0;
/* wake the reader only once this much is queued; it also reads on a short timer */
const volatile __u64 wakeup_bytes __weak = 0;

/* ring buffer records the consumer could not take: reported by the loader */
__u64 dropped __weak = 0;
/*
 * 0 until the first owner is put in tcp_owners, then 1 for good. While it
 * reads 0, a state change has nothing to look up: with a filter that
 * excludes everything, a state change costs a load and a compare. Written
 * once, not counted up and down: a counter every open and close of every
 * CPU adds to moves its cache line between the CPUs each time (~100 ns).
 */
__u32 owners_seen __weak = 0;
/* opens whose close can't be followed: tcp_owners was full */
__u64 owners_full __weak = 0;
/*
 * Owners found still in tcp_owners when their socket's address began a new
 * life: a connection whose close socktrace never saw (its close is streamed
 * then, late: close_late()), or, on the tracepoint backend, a connect never
 * reported. Both reported at exit.
 */
__u64 closes_unseen __weak = 0;
__u64 connects_unseen __weak = 0;

/*
 * Per CPU, so that nothing here moves a cache line between CPUs: the cell
 * owners_fence()'s locked add writes (a shared one would be fetched from the
 * other CPU's cache on every open and close: ~200 ns here), and the slot
 * ptr_value() goes through.
 */
struct cpu_scratch {
	__u64 fence;
	__u64 word;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_scratch);
} cpu_scratch SEC(".maps") __weak;

static __always_inline struct cpu_scratch *cpu_scratch_here(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_scratch, &zero);
}

/*
 * A full memory barrier: earlier stores are visible to every CPU before
 * later loads are done. The x86 JIT turns an atomic add into a locked add,
 * which is one, whatever the address. An open and a close racing on two
 * CPUs each store, fence, then load what the other stored (see emit_open()
 * and tcp_state_change()): at least one of them sees the other. Without it,
 * each load may be served while its own CPU's store still waits in the store
 * buffer (x86 lets a load pass an earlier store), and neither side would
 * report the close.
 */
static __always_inline void owners_fence(void)
{
	struct cpu_scratch *c = cpu_scratch_here();

	if (c)	/* always: an array's slot 0 is there */
		__sync_fetch_and_add(&c->fence, 1);
}

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);	/* resized by the loader (--buffer-size) */
} events SEC(".maps") __weak;

/* The owner of an event: the current task, or one recorded earlier. */
struct st_owner {
	__u64 ts_ns;
	__u64 cgroup;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 netns;	/* 0 until an open event read it; then its closes need not */
	char comm[ST_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct st_udp_key);
	__type(value, struct st_udp_val);
} udp_flows SEC(".maps") __weak;

/* the owner of each TCP socket opened while tracing: for close and fail */
struct tcp_owner {
	struct st_owner o;	/* who opened it, and when */
	/*
	 * Its 5-tuple as its open event gave it: for a close socktrace never
	 * sees (close_late()), found after the socket's memory holds another.
	 */
	struct st_flow flow;
	/*
	 * 1: a connect not reported yet (the tracepoint backend keeps the
	 * owner from the start of SYN_SENT, before the port is chosen, and
	 * reports it later: bpf/tp.bpf.c). 0 on every other backend.
	 */
	__u32 unreported;
	__u8 type;		/* ST_EV_CONNECT or ST_EV_ACCEPT */
	__u8 pad[3];
};

/*
 * Not an LRU: evicting an owner would lose that connection's close without a
 * word. An entry lives from open to close; one that finds the map full is
 * counted in owners_full and reported. Preallocated: every connection adds
 * and removes an entry, and allocating each one (then freeing it after an
 * RCU grace period) cost ~1 µs of a connection's programs here; the price is
 * ~2 ms more at start and ~7 MiB of kernel memory held while tracing.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);	/* the struct sock's address */
	__type(value, struct tcp_owner);
} tcp_owners SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct st_proc_stats);
} proc_stats SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct st_peer_key);
	__type(value, __u64);
} peers SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct st_listen_key);
	__type(value, __u64);
} listens SEC(".maps") __weak;

static __always_inline bool pid_wanted(__u32 pid)
{
	if (n_filter_pids == 0)
		return true;
	for (int i = 0; i < ST_MAX_PIDS; i++) {
		if (i >= n_filter_pids)
			break;
		if (filter_pids[i] == pid)
			return true;
	}
	return false;
}

static __always_inline bool port_in_filter(__u16 port)
{
	for (int i = 0; i < ST_MAX_PORTS; i++) {
		if (i >= n_filter_ports)
			break;
		if (port >= filter_ports[i].lo && port <= filter_ports[i].hi)
			return true;
	}
	return false;
}

/* everything but the 5-tuple: cheap checks to run before reading the socket */
static __always_inline bool task_wanted(__u8 type, __u8 proto)
{
	/* with the stream on, a kind nothing needs costs no work at all */
	if (stream && !(work_mask & ST_EV_BIT(type)))
		return false;
	if (proto == IPPROTO_TCP && !want_tcp)
		return false;
	if (proto == IPPROTO_UDP && !want_udp)
		return false;
	if (filter_uid != ~0u && (__u32)bpf_get_current_uid_gid() != filter_uid)
		return false;
	if (filter_comm[0]) {
		char comm[ST_COMM_LEN];

		bpf_get_current_comm(comm, sizeof(comm));
		for (int i = 0; i < ST_COMM_LEN; i++) {
			if (comm[i] != filter_comm[i])
				return false;
			if (!comm[i])
				break;
		}
	}
	/* no filter, no helper call: this runs for every packet and state change */
	return n_filter_pids == 0 || pid_wanted(bpf_get_current_pid_tgid() >> 32);
}

static __always_inline bool flow_wanted(const struct st_flow *f)
{
	if (f->family == 4 && !want_v4)
		return false;
	if (f->family == 6 && !want_v6)
		return false;
	if (n_filter_ports == 0)
		return true;
	return port_in_filter(f->lport) || port_in_filter(f->rport);
}

static __always_inline bool v6_is_v4mapped(const __u8 *a)
{
	const __u32 *w = (const __u32 *)a;

	return w[0] == 0 && w[1] == 0 && w[2] == bpf_htonl(0x0000ffff);
}

static __always_inline bool v6_is_any(const __u8 *a)
{
	const __u32 *w = (const __u32 *)a;

	return (w[0] | w[1] | w[2] | w[3]) == 0;
}

/* The local end of a v6 socket sending to a v4 peer: v4-mapped or unspecified. */
static __always_inline void flow_local_to_v4(struct st_flow *f)
{
	f->family = 4;
	__builtin_memcpy(f->laddr, f->laddr + 12, 4);
	__builtin_memset(f->laddr + 4, 0, 12);
}

/*
 * A v6 socket talking to a v4-mapped peer is IPv4 on the wire: report it so.
 * The local side is then mapped too, or the unspecified address.
 */
static __always_inline void flow_unmap_v4(struct st_flow *f)
{
	if (f->family != 6 || !v6_is_v4mapped(f->raddr))
		return;
	if (!v6_is_v4mapped(f->laddr) && !v6_is_any(f->laddr))
		return;
	__builtin_memcpy(f->raddr, f->raddr + 12, 4);
	__builtin_memset(f->raddr + 4, 0, 12);
	flow_local_to_v4(f);
}

/* The socket's local port, host order. */
static __always_inline __u16 sk_lport(struct sock *sk)
{
	__u16 port = RD(sk, __sk_common.skc_num);

	/* skc_num is cleared when a closing socket gives its port back; sport stays */
	return port ? port : bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
}

/* The socket's own local and remote ends, as the kernel holds them now. */
static __always_inline void flow_from_sk(struct sock *sk, __u8 proto, struct st_flow *f)
{
	__u16 family = RD(sk, __sk_common.skc_family);

	f->proto = proto;
	f->lport = sk_lport(sk);
	f->rport = bpf_ntohs(RD(sk, __sk_common.skc_dport));
	if (family == AF_INET6) {
		f->family = 6;
		RD_BYTES(f->laddr, 16, sk, __sk_common.skc_v6_rcv_saddr);
		RD_BYTES(f->raddr, 16, sk, __sk_common.skc_v6_daddr);
		flow_unmap_v4(f);
	} else {
		f->family = 4;
		RD_BYTES(f->laddr, 4, sk, __sk_common.skc_rcv_saddr);
		RD_BYTES(f->raddr, 4, sk, __sk_common.skc_daddr);
	}
}

/* Replace the remote end with a destination given as a kernel sockaddr. */
static __always_inline void flow_set_dest(struct st_flow *f, const void *uaddr)
{
	__u16 family = 0;

	bpf_probe_read_kernel(&family, sizeof(family), uaddr);
	if (family == AF_INET) {
		const struct sockaddr_in *sin = uaddr;
		__u16 port = 0;

		bpf_probe_read_kernel(&port, sizeof(port), &sin->sin_port);
		f->rport = bpf_ntohs(port);
		__builtin_memset(f->raddr, 0, 16);
		bpf_probe_read_kernel(f->raddr, 4, &sin->sin_addr);
		if (f->family == 6)
			flow_local_to_v4(f);
	} else if (family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = uaddr;
		__u16 port = 0;

		bpf_probe_read_kernel(&port, sizeof(port), &sin6->sin6_port);
		f->rport = bpf_ntohs(port);
		bpf_probe_read_kernel(f->raddr, 16, &sin6->sin6_addr);
		flow_unmap_v4(f);
	}
}

/*
 * A socket as a map key: its address. (Held in a stack slot, a pointer may
 * serve as key bytes; only arithmetic on it is refused, see ptr_value().)
 */
#define sk_key(sk) ((__u64)(unsigned long)(sk))

/*
 * A kernel pointer as a plain number. A BTF-typed pointer may not take part
 * in arithmetic, so it goes through a map value: a privileged program may
 * store a pointer there, and what it loads back is a number (two plain
 * memory accesses; a bpf_probe_read_kernel() of the stack slot would be a
 * helper call). Volatile, so that the compiler does not forward the store
 * to the load and hand the verifier the pointer again. A plain address
 * already is a number.
 */
static __always_inline __u64 ptr_value(const void *p)
{
#ifdef ST_BTF_POINTERS
	struct cpu_scratch *c = cpu_scratch_here();

	if (!c)	/* can't be: an array's slot 0 is there */
		return 0;
	*(const void *volatile *)&c->word = p;
	return *(volatile __u64 *)&c->word;
#else
	return (__u64)(unsigned long)p;
#endif
}

static __always_inline __u64 sk_cookie(struct sock *sk)
{
	/* an opaque identity: the socket's address, mixed so it is not shown as is */
	__u64 x = ptr_value(sk) ^ cookie_salt;

	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ULL;
	x ^= x >> 27;
	return x;
}

static __always_inline void owner_current(struct st_owner *o)
{
	__u64 id = bpf_get_current_pid_tgid();

	o->ts_ns = bpf_ktime_get_ns();
	o->cgroup = bpf_get_current_cgroup_id();
	o->pid = id >> 32;
	o->tid = (__u32)id;
	o->uid = (__u32)bpf_get_current_uid_gid();
	o->netns = 0;
	bpf_get_current_comm(o->comm, sizeof(o->comm));
}

/* What some events carry besides the 5-tuple. */
struct st_extra {
	__u64 ts_ns;		/* when it happened; 0: when the owner opened it */
	__u64 duration_ns;
	__u64 tx_bytes;
	__u64 rx_bytes;
	__s32 reason;
	__u8 flags;		/* ST_EVF_* */
};

/* The per-process counters of o's process, created on its first event. */
static __always_inline struct st_proc_stats *proc_of(const struct st_owner *o)
{
	__u32 pid = o->pid;
	struct st_proc_stats *ps = bpf_map_lookup_elem(&proc_stats, &pid);

	if (!ps) {
		struct st_proc_stats fresh = {};

		__builtin_memcpy(fresh.comm, o->comm, ST_COMM_LEN);
		fresh.uid = o->uid;
		bpf_map_update_elem(&proc_stats, &pid, &fresh, BPF_NOEXIST);
		ps = bpf_map_lookup_elem(&proc_stats, &pid);
	}
	return ps;
}

/*
 * Count a remote end of the process; a new one adds to its peers. port is
 * the remote port for connects and UDP (the service), 0 for accepts: a
 * client's port is new with every connection, its address is what tells
 * clients apart (and a server under load would churn one entry per accept).
 */
static __always_inline void count_peer(struct st_proc_stats *ps, __u32 pid,
				       const struct st_flow *f, __u16 port)
{
	struct st_peer_key k = { .pid = pid, .family = f->family, .port = port };
	__u64 one = 1, *n;

	__builtin_memcpy(k.addr, f->raddr, 16);
	n = bpf_map_lookup_elem(&peers, &k);
	if (n) {
		__sync_fetch_and_add(n, 1);
	} else if (bpf_map_update_elem(&peers, &k, &one, BPF_NOEXIST) == 0) {
		__sync_fetch_and_add(&ps->peers, 1);
	}
}

static __noinline void count_event(__u8 type, const struct st_owner *o,
					const struct st_flow *f, const struct st_extra *x, __u64 now)
{
	struct st_proc_stats *ps = proc_of(o);

	if (!ps)
		return;
	ps->last_ns = now;
	switch (type) {
	case ST_EV_CONNECT:
		__sync_fetch_and_add(&ps->connects, 1);
		count_peer(ps, o->pid, f, f->rport);
		break;
	case ST_EV_ACCEPT:
		__sync_fetch_and_add(&ps->accepts, 1);
		count_peer(ps, o->pid, f, 0);
		break;
	case ST_EV_UDP:
		__sync_fetch_and_add(&ps->udp_flows, 1);
		count_peer(ps, o->pid, f, f->rport);
		break;
	case ST_EV_FAIL:
		__sync_fetch_and_add(&ps->fails, 1);
		break;
	case ST_EV_CLOSE:
		__sync_fetch_and_add(&ps->closes, 1);
		__sync_fetch_and_add(&ps->tx_bytes, x->tx_bytes);
		__sync_fetch_and_add(&ps->rx_bytes, x->rx_bytes);
		break;
	case ST_EV_LISTEN: {
		struct st_listen_key k = { .pid = o->pid, .port = f->lport, .family = f->family };
		__u64 now = ps->last_ns;

		__builtin_memcpy(k.addr, f->laddr, 16);
		bpf_map_update_elem(&listens, &k, &now, BPF_ANY);
		break;
	}
	}
}

/* the socket's network namespace (its inode number) */
static __always_inline __u32 sk_netns(struct sock *sk)
{
	/* read through the helper: the verifier walks struct net slowly (20 ms) */
	return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
}

/*
 * Count one event in the kernel, then reserve, fill and submit it; count it
 * as dropped when the ring buffer is full. x may be NULL. Fills in o's netns.
 */
static __always_inline void emit_x(__u8 type, struct st_owner *o, const struct st_flow *f,
				   struct sock *sk, const struct st_extra *x)
{
	__u64 ts = x && x->ts_ns ? x->ts_ns : o->ts_ns;	/* one clock read per event */
	struct st_event *e;

	count_event(type, o, f, x, ts);
	if (!stream || !(event_mask & ST_EV_BIT(type)))
		return;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&dropped, 1);
		return;
	}
	e->ts_ns = ts;
	e->cookie = sk_cookie(sk);
	e->cgroup = o->cgroup;
	e->pid = o->pid;
	e->tid = o->tid;
	e->uid = o->uid;
	/* read once, at the open: an owner kept for the close carries it (two reads fewer) */
	if (!o->netns)
		o->netns = sk_netns(sk);
	e->netns = o->netns;
	e->type = type;
	e->proto = f->proto;
	e->family = f->family;
	e->flags = x ? x->flags : 0;
	e->lport = f->lport;
	e->rport = f->rport;
	__builtin_memcpy(e->laddr, f->laddr, 16);
	__builtin_memcpy(e->raddr, f->raddr, 16);
	__builtin_memcpy(e->comm, o->comm, ST_COMM_LEN);
	if (x) {
		e->duration_ns = x->duration_ns;
		e->tx_bytes = x->tx_bytes;
		e->rx_bytes = x->rx_bytes;
		e->reason = x->reason;
	} else {
		e->duration_ns = 0;
		e->tx_bytes = 0;
		e->rx_bytes = 0;
		e->reason = 0;
	}
	e->pad1 = 0;
	/* batch: a wakeup per event would cost the reader a syscall per event */
	bpf_ringbuf_submit(e, bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ?
				      BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/*
 * The netns of an owner about to be kept, when its open event did not read it
 * (not streamed: -e without the open's kind) and a close may be streamed: a
 * late close (close_late()) has only the new socket at that address to read
 * it from, which may be in another namespace.
 */
static __always_inline void owner_netns(struct st_owner *o, struct sock *sk)
{
	if (!o->netns && stream && (event_mask & ST_EV_BIT(ST_EV_CLOSE)))
		o->netns = sk_netns(sk);
}

/*
 * The end of a TCP socket opened while tracing, on the process o that opened
 * it: from SYN_SENT a fail event, else a close event with its counters.
 */
static __noinline void tcp_end(struct sock *sk, int oldstate, struct st_owner *o)
{
	struct st_extra x = {};
	struct st_flow f = {};

	flow_from_sk(sk, IPPROTO_TCP, &f);
	x.ts_ns = bpf_ktime_get_ns();
	x.duration_ns = x.ts_ns - o->ts_ns;
	if (oldstate == TCP_SYN_SENT) {
		x.reason = RD(sk, sk_err);
		if (!x.reason)	/* given up by the application, no error */
			x.reason = ECONNABORTED;
		emit_x(ST_EV_FAIL, o, &f, sk, &x);
		return;
	}
	struct tcp_sock *tp = TCP_SK(sk);
	unsigned long flags = RD(sk, __sk_common.skc_flags);

	if (tp) {
		/* bytes_sent counts data only, retransmissions included */
		x.tx_bytes = RD(tp, bytes_sent) - RD(tp, bytes_retrans);
		/* bytes_received counts the peer's FIN, if one came (SOCK_DONE) */
		x.rx_bytes = RD(tp, bytes_received);
	}
	if ((flags & (1UL << bpf_core_enum_value(enum sock_flags, SOCK_DONE))) && x.rx_bytes)
		x.rx_bytes--;
	emit_x(ST_EV_CLOSE, o, &f, sk, &x);
}

/* Take the owner of socket key out of tcp_owners: true if this call did. */
static __always_inline bool owner_drop(__u64 key)
{
	return bpf_map_delete_elem(&tcp_owners, &key) == 0;
}

/* o is about to be kept in tcp_owners: from now on a state change must look */
static __always_inline void owners_begin(void)
{
	if (!owners_seen)
		owners_seen = 1;
}

/*
 * An open (connect, accept) by the current task: counted, streamed, and its
 * owner kept until the socket closes. A connection already closed when its
 * accept returns (reset by the peer) ends here and now. t holds the owner
 * and the flow; the one copy of them on the stack (stack is short: 512
 * bytes for a program and all it calls, before 6.13).
 */
static __always_inline void emit_open(__u8 type, struct tcp_owner *t, struct sock *sk)
{
	__u64 key = sk_key(sk);
	__u8 state;

	/*
	 * type, not t->type: a constant here, which the verifier follows into
	 * count_event() (a byte stored on the stack, it would not). Reads the
	 * netns into t->o.
	 */
	emit_x(type, &t->o, &t->flow, sk, NULL);
	owner_netns(&t->o, sk);
	/*
	 * The owner first, then a look at the socket. A close on another CPU
	 * (a reset, while accept() returns) that comes after the update finds
	 * the owner. One that came before missed it; the kernel unhashes the
	 * socket before that state change is traced, and stores CLOSE after:
	 * so an unhashed socket, or a closed one, is ended here. Whoever
	 * deletes the owner reports the close, once. In SYN_SENT a close is a
	 * failed connect, which the state change reports itself. The fence:
	 * our update, then our look at the socket; the close's side fences
	 * between the unhash and its lookup.
	 */
	owners_begin();
	if (bpf_map_update_elem(&tcp_owners, &key, t, BPF_ANY)) {
		__sync_fetch_and_add(&owners_full, 1);
		return;
	}
	owners_fence();
	state = RD(sk, __sk_common.skc_state);
	if (state != TCP_SYN_SENT &&
	    (state == TCP_CLOSE || !RD(sk, __sk_common.skc_nulls_node.pprev)) &&
	    owner_drop(key))
		tcp_end(sk, TCP_ESTABLISHED, &t->o);
}

/* An event of the current task that keeps nothing (a UDP flow, a listen). */
static __always_inline void emit_current(__u8 type, const struct st_flow *f, struct sock *sk)
{
	struct st_owner o;

	owner_current(&o);
	emit_x(type, &o, f, sk, NULL);
}

/* A TCP socket of ours was opened (actively or passively) by the current task. */
static __always_inline void tcp_open(__u8 type, struct sock *sk)
{
	struct tcp_owner t = { .type = type };

	if (!sk || !task_wanted(type, IPPROTO_TCP))
		return;
	flow_from_sk(sk, IPPROTO_TCP, &t.flow);
	if (!flow_wanted(&t.flow))
		return;
	owner_current(&t.o);
	emit_open(type, &t, sk);
}

/* a datagram on the process's counters (made by its first flow's event) */
static __always_inline void count_udp_datagram(__u32 pid, __u64 bytes)
{
	struct st_proc_stats *ps = bpf_map_lookup_elem(&proc_stats, &pid);

	if (ps) {
		__sync_fetch_and_add(&ps->udp_packets, 1);
		__sync_fetch_and_add(&ps->tx_bytes, bytes);
	}
}

/*
 * A UDP datagram of bytes payload bytes, flow f, leaves socket sk: count it
 * on its flow; report the flow the first time only.
 */
static __always_inline void udp_seen(struct st_flow *f, struct sock *sk, __u64 bytes)
{
	struct st_udp_key key = {};
	struct st_udp_val *v, fresh = {};

	if (!flow_wanted(f))
		return;
	key.pid = bpf_get_current_pid_tgid() >> 32;
	key.flow = *f;
	fresh.first_ns = bpf_ktime_get_ns();
	v = bpf_map_lookup_elem(&udp_flows, &key);
	if (v) {
		v->last_ns = fresh.first_ns;
		__sync_fetch_and_add(&v->packets, 1);
		__sync_fetch_and_add(&v->bytes, bytes);
		count_udp_datagram(key.pid, bytes);
		return;
	}
	fresh.last_ns = fresh.first_ns;
	fresh.packets = 1;
	fresh.bytes = bytes;
	if (bpf_map_update_elem(&udp_flows, &key, &fresh, BPF_NOEXIST)) {
		/* another CPU made it first: count on its entry */
		v = bpf_map_lookup_elem(&udp_flows, &key);
		if (v) {
			__sync_fetch_and_add(&v->packets, 1);
			__sync_fetch_and_add(&v->bytes, bytes);
		}
		count_udp_datagram(key.pid, bytes);
		return;
	}
	emit_current(ST_EV_UDP, f, sk);	/* creates the process's counters */
	count_udp_datagram(key.pid, bytes);
}

/* The UDP flow of a send on sk to uaddr (a kernel sockaddr, or NULL if connected). */
static __always_inline void udp_send(struct sock *sk, const void *uaddr, __u64 bytes)
{
	struct st_flow f = {};

	if (!sk || !task_wanted(ST_EV_UDP, IPPROTO_UDP))
		return;
	flow_from_sk(sk, IPPROTO_UDP, &f);
	if (uaddr)
		flow_set_dest(&f, uaddr);
	udp_seen(&f, sk, bytes);
}

/*
 * The current task made sk listen. Not inlined: its locals would add to the
 * stack frame of every program that follows state changes, which with the
 * close path's calls must fit in 512 bytes before 6.13.
 */
static __noinline void listen_seen(struct sock *sk)
{
	struct st_flow f = {};

	if (!task_wanted(ST_EV_LISTEN, IPPROTO_TCP))
		return;
	flow_from_sk(sk, IPPROTO_TCP, &f);
	if (flow_wanted(&f))
		emit_current(ST_EV_LISTEN, &f, sk);
}

/*
 * The socket at key starts a new life (connect, listen, a new server-side
 * connection) and an owner of an earlier socket at that address is still
 * kept: that socket ended without its close reaching socktrace's programs
 * (about 1 in 1-3 million connections of a loopback reset storm:
 * bench/TARGETS.md). Its close goes out now, flagged ST_EVF_LATE: the time is
 * now, the duration and byte counts are unknown (0); the owner and 5-tuple
 * are those kept, and sk, the new socket at the same address, gives the same
 * cookie the old one's events had. A connect never reported has no close to
 * report. t: the kept owner, copied before it is dropped. Not inlined: its
 * copy of the owner would add to the caller's frame.
 */
static __noinline void close_late(struct sock *sk, __u64 key, const struct tcp_owner *t)
{
	struct tcp_owner old = *t;
	struct st_extra x = {};

	if (!owner_drop(key))
		return;	/* another CPU took it */
	if (old.unreported) {
		__sync_fetch_and_add(&connects_unseen, 1);
		return;
	}
	__sync_fetch_and_add(&closes_unseen, 1);
	x.ts_ns = bpf_ktime_get_ns();
	x.flags = ST_EVF_LATE;
	emit_x(ST_EV_CLOSE, &old.o, &old.flow, sk, &x);
}

/*
 * Every backend: a TCP socket changed state (sock:inet_sock_set_state, or
 * the same moment seen another way). LISTEN: a listen event, in the task
 * that called listen(). CLOSE: the end of a socket opened while tracing:
 * from SYN_SENT a fail event, else a close event with the socket's counters,
 * on the process that opened it (close often runs in softirq).
 */
static __always_inline void tcp_state_change(struct sock *sk, int oldstate, int newstate)
{
	__u64 key = sk_key(sk);
	struct tcp_owner *t;
	struct st_owner o;

	if (newstate == TCP_LISTEN || newstate == TCP_SYN_SENT || newstate == TCP_SYN_RECV) {
		/*
		 * A new life for this address: whatever we knew of it is stale.
		 * (A lookup is lock-free, a delete is not: look first.)
		 */
		if (owners_seen && (t = bpf_map_lookup_elem(&tcp_owners, &key)))
			close_late(sk, key, t);
		if (newstate == TCP_LISTEN)
			listen_seen(sk);
		return;
	}
	if (newstate != TCP_CLOSE)
		return;
	if (test_lose_close_port && (sk_lport(sk) == test_lose_close_port ||
				     bpf_ntohs(RD(sk, __sk_common.skc_dport)) == test_lose_close_port))
		return;
	/* the kernel's unhash of sk before our lookup: see emit_open() */
	owners_fence();
	if (!owners_seen)
		return;
	t = bpf_map_lookup_elem(&tcp_owners, &key);
	if (!t)
		return;
	o = t->o;
	if (!owner_drop(key))
		return;	/* another CPU ended it */
	tcp_end(sk, oldstate, &o);
}

/*
 * Nested state changes. The kernel (6.2 and later) runs a tp_btf program at
 * most once at a time per CPU: a state change that fires while the program
 * runs on that CPU (a softirq that interrupts it in a task's close(), say)
 * skips it, a "recursion miss", and that event would be lost (2 in 50000
 * connections in a loopback storm here). So each backend attaches two small
 * programs to inet_sock_set_state, the main one first (probes run in the
 * order they were attached). The main one notes each state change on this
 * CPU; the twin, which runs right after it, takes the note back, or, finding
 * none, knows the main one was skipped and handles the change itself. The
 * work is done by a third program both reach by a tail call (verified once,
 * not twice: about 6 ms of start-up; the loader puts it in state_work),
 * which notes the change again when done: a change nested in it may have
 * been noted in between. Two notes are kept, so the one interrupted and the
 * nested one are both found whichever was noted last. Where the kernel lets
 * the main one nest (before 6.2), the nested run notes its change and the
 * twin leaves it. A change is told apart by socket, states and the socket's
 * connection hash, so a later socket at the same address is not taken for it.
 */
struct state_note {
	__u64 sk;
	__u32 change;		/* oldstate << 8 | newstate */
	__u32 hash;		/* skc_hash */
};

struct state_notes {
	struct state_note n[2];	/* [0]: the latest */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct state_notes);
} state_notes SEC(".maps") __weak;

/*
 * Slot 0: the state-change work (the loader fills it). Slot 1 stays empty:
 * the work program's tail call into it always falls through; it is there for
 * its side effect. Recent kernels (6.18 here, x86-64) give a program's
 * frames of 64 bytes and more a per-CPU private stack instead of the kernel
 * stack when the program can't run nested on a CPU (the kernel skips a
 * tp_btf program already running there). The work program is entered by
 * tail call, past that check, from the main program and from the twin, and
 * does run nested: a state change in a softirq that interrupts it reaches it
 * again through the twin. On one private stack the nested run overwrote the
 * interrupted run's locals, and its event went out with the other socket's
 * fields (about 1 close in 800,000 in a loopback storm here: one socket's
 * close twice, another's never). A program that contains a tail call gets no
 * private stack.
 */
#define STATE_WORK		0
#define STATE_WORK_NEVER	1

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} state_work SEC(".maps") __weak;

static __always_inline struct state_note state_now(unsigned long long *ctx)
{
	struct sock *sk = (struct sock *)ctx[0];
	struct state_note n = {
		.sk = ctx[0],
		.change = (__u32)ctx[1] << 8 | (__u32)ctx[2],
		.hash = RD(sk, __sk_common.skc_hash),
	};

	return n;
}

static __always_inline bool state_same(const struct state_note *a, const struct state_note *b)
{
	return a->sk == b->sk && a->change == b->change && a->hash == b->hash;
}

static __always_inline struct state_notes *state_notes_here(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&state_notes, &zero);
}

/* note the change, unless it is the latest note already */
static __always_inline void state_note(unsigned long long *ctx)
{
	struct state_notes *s = state_notes_here();
	struct state_note n = state_now(ctx);

	if (!s || state_same(&s->n[0], &n))
		return;
	s->n[1] = s->n[0];
	s->n[0] = n;
}

/* take the change's notes back: true if there was one */
static __always_inline bool state_unnote(unsigned long long *ctx)
{
	struct state_notes *s = state_notes_here();
	struct state_note n = state_now(ctx);
	bool found = false;

	if (!s)
		return true;	/* can't tell: leave it to the main one */
	for (int i = 0; i < 2; i++) {
		if (state_same(&s->n[i], &n)) {
			__builtin_memset(&s->n[i], 0, sizeof(s->n[i]));
			found = true;
		}
	}
	return found;
}

/* the changes tcp_state_change() acts on: a socket's start and its end */
static __always_inline bool state_change_wanted(int oldstate, int newstate)
{
	return newstate == TCP_CLOSE || newstate == TCP_SYN_SENT ||
	       newstate == TCP_SYN_RECV || newstate == TCP_LISTEN;
}

/*
 * The three programs of a backend; handle(sk, oldstate, newstate) does the
 * work, for the changes wanted(oldstate, newstate) accepts. The others (half
 * of a connection's, with an orderly close: established, FIN_WAIT1, ...) are
 * left by the main program and the twin alike before any note is taken: the
 * same test on the same change, so the twin never takes the main program's
 * silence on one of them for a miss.
 */
#define STATE_PROGRAMS(name, handle, wanted)					\
SEC("tp_btf/inet_sock_set_state")						\
int name(unsigned long long *ctx)						\
{										\
	if (!wanted((int)ctx[1], (int)ctx[2]))					\
		return 0;							\
	state_note(ctx);							\
	bpf_tail_call(ctx, &state_work, STATE_WORK);				\
	return 0;								\
}										\
										\
SEC("tp_btf/inet_sock_set_state")						\
int name##_nested(unsigned long long *ctx)					\
{										\
	if (wanted((int)ctx[1], (int)ctx[2]) && !state_unnote(ctx))		\
		bpf_tail_call(ctx, &state_work, STATE_WORK);			\
	return 0;								\
}										\
										\
SEC("tp_btf/inet_sock_set_state")						\
int BPF_PROG(name##_work, struct sock *sk, int oldstate, int newstate)		\
{										\
	handle(sk, oldstate, newstate);						\
	state_note(ctx);							\
	/* an empty slot: no private stack for a program that runs nested */	\
	bpf_tail_call(ctx, &state_work, STATE_WORK_NEVER);			\
	return 0;								\
}

#endif /* SOCKTRACE_COMMON_BPF_H */

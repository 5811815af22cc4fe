/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * socktrace event ABI, shared by the BPF programs (bpf/) and the loader (user/).
 *
 * One fixed-size record per event travels through the BPF ring buffer.
 * Byte order is stated for every multi-byte field:
 *   - ports are HOST byte order on both sides (the BPF side converts);
 *   - addresses are NETWORK byte order, exactly as on the wire: an IPv4
 *     address fills laddr[0..3] and the rest is zero; an IPv6 address fills
 *     all 16 bytes. A v4-mapped IPv6 socket is reported as family 4.
 *   - every other integer is host byte order.
 */
#ifndef SOCKTRACE_H
#define SOCKTRACE_H

#define ST_COMM_LEN	16	/* TASK_COMM_LEN */
#define ST_MAX_PIDS	16	/* --pid list length */
#define ST_MAX_PORTS	16	/* --port list length (each entry a range) */
#define ST_MAX_CGROUPS	8	/* --cgroup and --container subtrees, together */

enum st_event_type {
	ST_EV_CONNECT = 1,	/* TCP active open */
	ST_EV_ACCEPT  = 2,	/* TCP passive open, on the accepting process */
	ST_EV_UDP     = 3,	/* first datagram of a new UDP flow */
	ST_EV_CLOSE   = 4,	/* a TCP connection opened while tracing ended */
	ST_EV_FAIL    = 5,	/* a TCP connect failed: reason says why */
	ST_EV_LISTEN  = 6,	/* a TCP socket started listening */
	ST_EV_DNS     = 7,	/* a DNS answer: from dns_events, never a struct st_event */
	ST_EV_MAX,
};

/*
 * st_event.flags. LATE, on a close: socktrace did not see the close happen;
 * it found the connection gone when the socket's memory began another. ts is
 * when it found out; duration_ns, tx_bytes and rx_bytes are unknown (0).
 */
#define ST_EVF_LATE	0x01
/*
 * EXISTING: the socket existed before socktrace started (found by the
 * snapshot at start, bpf/iter.bpf.c); on its open event, state says its TCP
 * state then. LOWER_BOUND, on a close: duration_ns counts from socktrace's
 * start, not from the socket's birth (the kernel does not tell it).
 */
#define ST_EVF_EXISTING		0x02
#define ST_EVF_LOWER_BOUND	0x04
/*
 * On a udp event. IN: the flow's datagrams are received by the process
 * (without it, sent). FOLDED, with IN: the local port of the process had
 * ST_UDP_IN_FLOWS_PER_PORT new flows in this --udp-idle period already, so
 * this flow stands for every source port of raddr (rport is 0).
 */
#define ST_EVF_IN		0x08
#define ST_EVF_FOLDED		0x10

/* new received flows per (process, local port) in one --udp-idle period before folding */
#define ST_UDP_IN_FLOWS_PER_PORT	64
/*
 * NAT, on a connect or a UDP flow: the kernel rewrote its destination (DNAT);
 * raddr/rport are what the process asked for, nat_raddr/nat_rport where the
 * packets really go (from the conntrack entry). Unset: no NAT was seen.
 */
#define ST_EVF_NAT		0x20

/* bit for each type in the --events mask */
#define ST_EV_BIT(t)	(1u << (t))
#define ST_EV_ALL	(((1u << ST_EV_MAX) - 1) & ~1u)

struct st_event {
	__u64 ts_ns;		/* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u64 cookie;		/* per-run socket identity, stable while the socket lives */
	__u64 cgroup;		/* cgroup v2 id of the task */
	__u32 pid;		/* process (tgid) */
	__u32 tid;		/* thread */
	__u32 uid;
	__u32 netns;		/* network namespace inode number */
	__u8  type;		/* enum st_event_type */
	__u8  proto;		/* IPPROTO_TCP (6) or IPPROTO_UDP (17) */
	__u8  family;		/* 4 or 6 */
	__u8  flags;		/* ST_EVF_* */
	__u16 lport;		/* host byte order */
	__u16 rport;		/* host byte order */
	__u8  laddr[16];	/* network byte order */
	__u8  raddr[16];	/* network byte order */
	char  comm[ST_COMM_LEN];	/* not NUL-terminated when 16 bytes long; untrusted */
	__u64 duration_ns;	/* close: from the open event to the close */
	__u64 tx_bytes;		/* close: payload bytes sent (retransmissions not counted) */
	__u64 rx_bytes;		/* close: payload bytes received */
	__s32 reason;		/* fail: a positive errno (ECONNREFUSED, ETIMEDOUT, ...) */
	__u8  state;		/* TCP_* state number (1 ESTABLISHED ... 12), existing events */
	__u8  pad1[3];
	__u8  nat_raddr[16];	/* ST_EVF_NAT: the real destination, network byte order */
	__u16 nat_rport;	/* ST_EVF_NAT: its port, host byte order */
	__u8  pad2[6];
};

/*
 * The snapshot's record (the seq file of the iter/tcp and iter/udp programs):
 * an existing socket's event, and every process that holds its descriptor,
 * pids[] in the order found (ascending), at most ST_MAX_HOLDERS, the rest
 * counted in pids_more. event.pid is pids[0].
 */
#define ST_MAX_HOLDERS	16

struct st_existing {
	struct st_event event;
	__u32 n_pids;		/* entries of pids[] used */
	__u32 pids_more;	/* holders past ST_MAX_HOLDERS */
	__u32 pids[ST_MAX_HOLDERS];
};

/* unheld[] of the snapshot counts: indexed by TCP state, 0..ST_TCP_STATES-1 */
#define ST_TCP_STATES	16

/*
 * The 5-tuple with its family, as the kernel side keys its maps by it.
 * Ports host order, addresses network order (as in struct st_event).
 */
struct st_flow {
	__u8  family;	/* 4 or 6 */
	__u8  proto;
	__u16 lport;		/* host byte order */
	__u16 rport;		/* host byte order */
	__u16 pad;
	__u8  laddr[16];	/* network byte order */
	__u8  raddr[16];	/* network byte order */
};

/*
 * udp_flows map: one UDP flow of one process in one direction, when it last
 * carried a datagram (the loader expires flows idle for --udp-idle), and its
 * datagrams and payload bytes (also summed per process in proc_stats)
 */
#define ST_UDP_OUT	0	/* sent by the process */
#define ST_UDP_IN	1	/* received by the process */

struct st_udp_key {
	__u32 pid;		/* process (tgid) */
	__u32 dir;		/* ST_UDP_OUT or ST_UDP_IN */
	struct st_flow flow;	/* a folded in-flow (ST_EVF_FOLDED): rport 0 */
};

struct st_udp_val {
	__u64 last_ns;		/* CLOCK_MONOTONIC */
	__u64 packets;		/* datagrams since the flow began */
	__u64 bytes;		/* their payload */
};

/*
 * proc_stats map: per-process counters, kept in the kernel so that they stay
 * exact when stream events are dropped. Keyed by pid (host order).
 */
struct st_proc_stats {
	char  comm[ST_COMM_LEN];
	__u64 connects;
	__u64 accepts;
	__u64 fails;
	__u64 closes;
	__u64 udp_flows;	/* sent flows */
	__u64 peers;		/* distinct remote endpoints (address and port) */
	__u64 tx_bytes;		/* payload: TCP counted at close, UDP per datagram */
	__u64 rx_bytes;		/* payload: TCP counted at close, UDP per datagram read */
	__u64 udp_packets;	/* datagrams sent */
	__u32 uid;
	__u32 pad;
	__u64 udp_tx_bytes;	/* payload of the datagrams sent (also in tx_bytes) */
	__u64 cgroup;		/* cgroup v2 id of the process at its first event (--summary --by) */
	__u64 udp_in_flows;	/* received flows (udp_flows: sent ones) */
	__u64 udp_rx_packets;	/* datagrams received (a MSG_PEEK is not a receive) */
	__u64 udp_rx_bytes;	/* their payload (also in rx_bytes) */
	/*
	 * of udp_rx_packets, those read whose source was not known (tracepoint
	 * backend: docs/DESIGN.md#received-udp): on no flow, their bytes as
	 * the read returned them
	 */
	__u64 udp_rx_unmatched;
};

/* peers map: a remote endpoint of a process, and how many sockets went there */
struct st_peer_key {
	__u32 pid;
	__u8  family;
	__u8  pad;
	__u16 port;		/* host order; 0: clients accepted from addr, any port */
	__u8  addr[16];		/* network order */
};

/* listens map: a port a process listens on (the keys are read, not the values) */
struct st_listen_key {
	__u32 pid;
	__u16 port;		/* host order */
	__u8  family;
	__u8  pad;
	__u8  addr[16];		/* network order */
};

/*
 * state_work prog array: ST_STATE_WORK_SLOT holds the backend's state-change
 * work program (the loader puts it there before attaching); ST_STATE_WORK_NEVER
 * stays empty (bpf/quirks.bpf.h, st_no_private_stack()).
 */
#define ST_STATE_WORK_SLOT	0
#define ST_STATE_WORK_NEVER	1

/* an inclusive port range for the --port filter; host byte order */
struct st_port_range {
	__u16 lo;
	__u16 hi;
};

/*
 * DNS answers (docs/DESIGN.md#dns-answers). dns_queries map: a query a process
 * sent to port 53 or 5353, keyed by what its answer carries back.
 */
#define ST_DNS_PORT	53
#define ST_MDNS_PORT	5353
#define ST_DNS_CAP	512	/* bytes of a DNS message copied */

struct st_dns_key {
	__u8  family;		/* 4 or 6 */
	__u8  proto;		/* IPPROTO_UDP or IPPROTO_TCP */
	__u16 lport;		/* the asking socket's port, host byte order */
	__u16 rport;		/* the server's port, host byte order */
	__u16 pad2;
	__u8  raddr[16];	/* the server, network byte order; IPv4 in the first 4 */
};

struct st_dns_query {
	__u64 ts_ns;		/* CLOCK_MONOTONIC, the query left */
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 netns;		/* the socket's network namespace (inode number) */
	char  comm[ST_COMM_LEN];
};

/* dns_events ring buffer: one answer as it reached a socket */
struct st_dns_event {
	__u64 ts_ns;		/* CLOCK_MONOTONIC */
	struct st_dns_query q;	/* the query's sender; q.pid 0: its query not seen */
	struct st_dns_key key;
	__u8  laddr[16];	/* the answer's destination, network byte order */
	__u16 caplen;		/* bytes in data, host byte order */
	__u16 len;		/* the message's length, host byte order */
	__u32 pad;
	__u8  data[ST_DNS_CAP];
};

/* dns_stats map (array): what the DNS capture counted */
enum st_dns_stat {
	ST_DNS_SEEN = 0,	/* answers copied to dns_events */
	ST_DNS_LOST = 1,	/* answers dns_events had no room for */
	ST_DNS_STATS,
};

/*
 * cgroup_births ring buffer: a cgroup v2 directory just made, as the kernel's
 * cgroup_mkdir tracepoint names it (bpf/cgroup_birth.bpf.c), so that the
 * loader names it before any of its tasks' events needs the name.
 */
#define ST_CG_BIRTH_PATH	512

struct st_cgroup_birth {
	__u64 id;		/* cgroup v2 id (its directory's inode number), host order */
	__u32 len;		/* bytes in path; 0: longer than ST_CG_BIRTH_PATH - 1, not sent */
	__u32 pad;
	char  path[ST_CG_BIRTH_PATH];	/* from the cgroup2 root ("/a.slice/b.scope"), NUL-ended */
};

#endif /* SOCKTRACE_H */

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

enum st_event_type {
	ST_EV_CONNECT = 1,	/* TCP active open */
	ST_EV_ACCEPT  = 2,	/* TCP passive open, on the accepting process */
	ST_EV_UDP     = 3,	/* first datagram of a new UDP flow */
	ST_EV_MAX,
};

/* bit for each type in the --events mask */
#define ST_EV_BIT(t)	(1u << (t))

enum st_backend {
	ST_BACKEND_FENTRY = 0,
	ST_BACKEND_KPROBE,
	ST_BACKEND_TRACEPOINT,
	ST_BACKEND_MAX,
};

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
	__u8  pad0;
	__u16 lport;		/* host byte order */
	__u16 rport;		/* host byte order */
	__u8  laddr[16];	/* network byte order */
	__u8  raddr[16];	/* network byte order */
	char  comm[ST_COMM_LEN];	/* not NUL-terminated when 16 bytes long; untrusted */
};

/* an inclusive port range for the --port filter; host byte order */
struct st_port_range {
	__u16 lo;
	__u16 hi;
};

#endif /* SOCKTRACE_H */

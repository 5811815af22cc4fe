/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * DNS over TCP: who asks is who connected to port 53. A resolver opens a
 * connection for its queries (glibc after a truncated UDP answer, a
 * resolver configured with "use-vc") and reads the answers on it, so the
 * connect's task is put on every answer of that connection in dns_queries
 * (bpf/dns_maps.bpf.h), keyed as bpf/dns_answer.bpf.c will look it up:
 * family, IPPROTO_TCP, local port, server address and port. The query
 * itself is not seen: the time kept is 0, and no latency is claimed.
 *
 * fentry and kprobe see the connect in tcp_connect(), in the connecting
 * task with the local port chosen: one step. The tracepoint backend sees
 * the task when the socket enters SYN_SENT, before the port is chosen, and
 * the port only when the first SYN leaves (or the socket leaves SYN_SENT):
 * the task waits in dns_tcp_pending, keyed by socket, and moves once. A
 * retransmitted SYN, sent from a timer in no particular task, finds nothing
 * to move. Any connect to another port costs a read and a compare.
 */
#ifndef SOCKTRACE_DNS_TCP_QUERY_BPF_H
#define SOCKTRACE_DNS_TCP_QUERY_BPF_H

#include "dns_maps.bpf.h"
#include "owners.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);	/* sk_key() */
	__type(value, struct st_dns_query);
} dns_tcp_pending SEC(".maps") __weak;

/* sk connects to the DNS port: want_dns is set and its remote port is 53 */
static __always_inline bool dns_tcp_socket(struct sock *sk)
{
	return want_dns && sk_rport(sk) == ST_DNS_PORT;
}

/* the current task, as the asker on sk */
static __always_inline void dns_tcp_asker(struct st_dns_query *q, struct sock *sk)
{
	struct st_owner o;

	owner_current(&o);
	q->ts_ns = 0;	/* the query's time is not seen: no latency */
	q->pid = o.pid;
	q->tid = o.tid;
	q->uid = o.uid;
	q->netns = sk_netns(sk);
	__builtin_memcpy(q->comm, o.comm, ST_COMM_LEN);
}

/* sk's answers will come back to its 4-tuple as it is now (the port chosen) */
static __always_inline void dns_tcp_note(struct sock *sk, const struct st_dns_query *q)
{
	struct st_dns_key key = {};
	struct st_flow f = {};

	flow_from_sk(sk, IPPROTO_TCP, &f);
	key.family = f.family;
	key.proto = IPPROTO_TCP;
	key.lport = f.lport;
	key.rport = f.rport;
	__builtin_memcpy(key.raddr, f.raddr, 16);
	bpf_map_update_elem(&dns_queries, &key, q, BPF_ANY);
}

/* fentry, kprobe: tcp_connect(), in the connecting task, the port chosen */
static ST_OWN_FRAME void dns_tcp_connect(struct sock *sk)
{
	struct st_dns_query q = {};

	if (!sk || !dns_tcp_socket(sk))
		return;
	dns_tcp_asker(&q, sk);
	dns_tcp_note(sk, &q);
}

/* the tracepoint backend: sk enters SYN_SENT, in the connecting task */
static ST_OWN_FRAME void dns_tcp_connect_start(struct sock *sk)
{
	struct st_dns_query q = {};
	__u64 key = sk_key(sk);

	if (!dns_tcp_socket(sk))
		return;
	dns_tcp_asker(&q, sk);
	bpf_map_update_elem(&dns_tcp_pending, &key, &q, BPF_ANY);
}

/* the tracepoint backend: sk's first SYN leaves, or sk leaves SYN_SENT */
static ST_OWN_FRAME void dns_tcp_port_chosen(struct sock *sk)
{
	__u64 key = sk_key(sk);
	struct st_dns_query *q;

	if (!dns_tcp_socket(sk))
		return;
	q = bpf_map_lookup_elem(&dns_tcp_pending, &key);
	if (!q)
		return;
	dns_tcp_note(sk, q);
	bpf_map_delete_elem(&dns_tcp_pending, &key);
}

#endif /* SOCKTRACE_DNS_TCP_QUERY_BPF_H */

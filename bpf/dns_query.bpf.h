/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A datagram to a DNS port leaves: note who sent it, so that the answer
 * (bpf/dns_answer.bpf.c) is put on that process. Called from each backend's
 * UDP send hook with the flow it read; any other datagram costs one compare.
 * (TCP: bpf/dns_tcp_query.bpf.h notes the connect instead.)
 */
#ifndef SOCKTRACE_DNS_QUERY_BPF_H
#define SOCKTRACE_DNS_QUERY_BPF_H

#include "dns_maps.bpf.h"
#include "owners.bpf.h"

static __always_inline void dns_query_seen(const struct st_flow *f, struct sock *sk)
{
	struct st_dns_key key = {};
	struct st_dns_query q = {};
	struct st_owner o;

	if (!want_dns || !dns_port(f->rport))
		return;
	key.family = f->family;
	key.proto = IPPROTO_UDP;
	key.lport = f->lport;
	key.rport = f->rport;
	__builtin_memcpy(key.raddr, f->raddr, 16);
	owner_current(&o);
	q.ts_ns = o.ts_ns;
	q.pid = o.pid;
	q.tid = o.tid;
	q.uid = o.uid;
	q.netns = sk_netns(sk);
	__builtin_memcpy(q.comm, o.comm, ST_COMM_LEN);
	bpf_map_update_elem(&dns_queries, &key, &q, BPF_ANY);
}

#endif /* SOCKTRACE_DNS_QUERY_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The fentry backend's real destination behind a DNAT. It reports a connect
 * when tcp_connect() returns, and a UDP flow when udp(v6)_sendmsg() does:
 * by then the SYN, or the datagram, has passed the OUTPUT hooks in the same
 * task, and a NAT rule there has bound its new conntrack entry through
 * nf_nat_setup_info(). fe_nat_setup (fentry.bpf.c) keeps that entry per
 * thread; the report takes it, and ct_dnat() (nat.bpf.h) reads it once it
 * is sure the entry is the flow's own (its ports and asked destination).
 * Nothing is kept where no NAT rule runs, or nf_nat is not loaded when
 * socktrace starts (the loader leaves fe_nat_setup out: nat_pending_on 0).
 */
#ifndef SOCKTRACE_NAT_PENDING_BPF_H
#define SOCKTRACE_NAT_PENDING_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "nat.bpf.h"

/* nf_nat_manip_type (include/net/netfilter/nf_nat.h): the destination's binding */
#define ST_NF_NAT_MANIP_DST	1

/* 1: fe_nat_setup is attached (set by the loader) */
const volatile __u8 nat_pending_on __weak = 0;

/* per thread: the conntrack entry its last destination binding was for */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);	/* tid */
	__type(value, __u64);	/* struct nf_conn * */
} nat_pending SEC(".maps") __weak;

/* a destination binding is made for ct in the current thread */
static __always_inline void nat_pending_keep(struct nf_conn *ct, int maniptype)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 v = (__u64)ct;

	if (maniptype == ST_NF_NAT_MANIP_DST)
		bpf_map_update_elem(&nat_pending, &tid, &v, BPF_ANY);
}

/* the current thread's report of flow f: the real destination into x, if f's entry was bound */
static __always_inline void nat_pending_take(struct st_flow *f, struct st_extra *x)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *v;

	if (!nat_pending_on || !(v = bpf_map_lookup_elem(&nat_pending, &tid)))
		return;
	ct_dnat((struct nf_conn *)*v, f, x, true);
	bpf_map_delete_elem(&nat_pending, &tid);
}

#endif /* SOCKTRACE_NAT_PENDING_BPF_H */

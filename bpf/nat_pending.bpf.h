/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The fentry and kprobe backends' real destination behind a DNAT. They
 * report a connect when tcp_connect() returns, and a UDP flow when
 * udp(v6)_sendmsg() does: by then the SYN, or the datagram, has passed the
 * OUTPUT hooks in the same task, and a NAT rule there has bound its new
 * conntrack entry through nf_nat_setup_info(). fe_nat_setup (fentry.bpf.c)
 * or kp_nat_setup (kprobe.bpf.c) keeps that entry per thread; the report
 * takes it, and ct_dnat() (nat.bpf.h) reads it once it is sure the entry is
 * the flow's own (its ports and asked destination). Nothing is kept where
 * no NAT rule runs, or nf_nat is not loaded when socktrace starts (the
 * loader leaves both out: nat_pending_on 0).
 */
#ifndef SOCKTRACE_NAT_PENDING_BPF_H
#define SOCKTRACE_NAT_PENDING_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "nat.bpf.h"

/* nf_nat_manip_type (include/net/netfilter/nf_nat.h): the destination's binding */
#define ST_NF_NAT_MANIP_DST	1

/* 1: fe_nat_setup or kp_nat_setup is attached (set by the loader) */
const volatile __u8 nat_pending_on __weak = 0;

/*
 * Per thread: the conntrack entry its last destination binding was for, and
 * room for what its report says of it (an extra off the program's stack:
 * 5.10 and the fentry connect's calls leave no 56 bytes there).
 */
struct nat_note {
	__u64 ct;		/* struct nf_conn * */
	struct st_extra x;	/* zero until the report fills it */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);	/* tid */
	__type(value, struct nat_note);
} nat_pending SEC(".maps") __weak;

/* a destination binding is made for ct in the current thread */
static __always_inline void nat_pending_keep(struct nf_conn *ct, int maniptype)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct nat_note n = { .ct = (__u64)ct };

	if (maniptype == ST_NF_NAT_MANIP_DST)
		bpf_map_update_elem(&nat_pending, &tid, &n, BPF_ANY);
}

/*
 * The current thread's report of flow f: the extra with its real
 * destination, if its entry was bound (NULL: none). It lives in the map
 * until nat_pending_done(), which the report calls once it is written; a
 * caller on every datagram passes held, to call it only if the thread had
 * an entry (a delete of nothing would take the map's bucket lock for no
 * gain); one that calls it anyway passes NULL.
 */
static __always_inline struct st_extra *nat_pending_take(struct st_flow *f, bool *held)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct nat_note *n;

	if (held)
		*held = false;
	if (!nat_pending_on || !(n = bpf_map_lookup_elem(&nat_pending, &tid)))
		return NULL;
	if (held)
		*held = true;
	ct_dnat((struct nf_conn *)n->ct, f, &n->x, true);
	return n->x.flags ? &n->x : NULL;
}

static __always_inline void nat_pending_done(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (nat_pending_on)
		bpf_map_delete_elem(&nat_pending, &tid);
}

#endif /* SOCKTRACE_NAT_PENDING_BPF_H */

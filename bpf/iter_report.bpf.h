/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * An existing socket, as the snapshot reports it: its holders taken out of
 * sock_holders, its record (struct st_existing) written to the iterator's
 * seq file, which the loader reads (user/source_snapshot.c).
 */
#ifndef SOCKTRACE_ITER_REPORT_BPF_H
#define SOCKTRACE_ITER_REPORT_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "iter_holders.bpf.h"

/* a record is built here, not on the 512-byte stack */
struct snap_scratch {
	struct st_existing rec;
	struct holders h;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct snap_scratch);
} snap_scratch SEC(".maps") __weak;

/*
 * The holders of sk (5-tuple f), copied into the scratch's h and taken out
 * of the map (the pass after this one has no use for them), or NULL when no
 * process holds it: none noted, or those of an earlier socket at its address
 * (its 5-tuple differs: a socket closed between the passes, and this one is
 * newer than the holders pass, so the live hooks saw its open).
 */
static __always_inline struct snap_scratch *holders_take(struct sock *sk, const struct st_flow *f)
{
	__u64 key = sk_key(sk);
	__u32 zero = 0;
	struct snap_scratch *s = bpf_map_lookup_elem(&snap_scratch, &zero);
	struct holders *h = bpf_map_lookup_elem(&sock_holders, &key);
	bool same;

	if (!s || !h)
		return NULL;
	s->h = *h;
	bpf_map_delete_elem(&sock_holders, &key);
	same = flow_same(&s->h.flow, f);
	return same ? s : NULL;
}

/* Write the record of sk's existing open: type, flow f, TCP state, holders s->h. */
static __always_inline void existing_write(struct seq_file *seq, struct snap_scratch *s,
					   __u8 type, const struct st_flow *f, struct sock *sk,
					   __u8 state)
{
	struct st_event *e = &s->rec.event;
	const struct st_owner *o = &s->h.o;

	__builtin_memset(&s->rec, 0, sizeof(s->rec));
	e->ts_ns = o->ts_ns;
	e->cookie = sk_cookie(sk);
	e->cgroup = o->cgroup;
	e->pid = o->pid;
	e->tid = o->tid;
	e->uid = o->uid;
	e->netns = sk_netns(sk);
	e->type = type;
	e->proto = f->proto;
	e->family = f->family;
	e->flags = ST_EVF_EXISTING;
	e->lport = f->lport;
	e->rport = f->rport;
	__builtin_memcpy(e->laddr, f->laddr, 16);
	__builtin_memcpy(e->raddr, f->raddr, 16);
	__builtin_memcpy(e->comm, o->comm, ST_COMM_LEN);
	e->state = state;
	s->rec.n_pids = s->h.n;
	s->rec.pids_more = s->h.more;
	__builtin_memcpy(s->rec.pids, s->h.pids, sizeof(s->rec.pids));
	bpf_seq_write(seq, &s->rec, sizeof(s->rec));
}

#endif /* SOCKTRACE_ITER_REPORT_BPF_H */

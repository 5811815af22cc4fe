/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The snapshot's UDP pass (iter/udp, one network namespace): each socket a
 * process holds is reported as a udp event, UNCONN or ESTAB (connected). A
 * connected socket's flow is noted in udp_flows, as a live flow's first
 * datagram notes it: its next datagrams make no event, and a flow the live
 * hooks noted first is theirs to report.
 */
#ifndef SOCKTRACE_ITER_UDP_BPF_H
#define SOCKTRACE_ITER_UDP_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "iter_report.bpf.h"

/* the connected flow of sk noted for its holder: false when a live datagram noted it first */
static __always_inline bool existing_udp_flow(const struct snap_scratch *s, const struct st_flow *f)
{
	struct st_udp_key key = { .pid = s->h.o.pid, .flow = *f };
	struct st_udp_val v = { .last_ns = s->h.o.ts_ns };

	return bpf_map_update_elem(&udp_flows, &key, &v, BPF_NOEXIST) != -EEXIST;
}

static __always_inline void existing_udp(struct seq_file *seq, struct sock *sk)
{
	__u8 state = RD(sk, __sk_common.skc_state);
	struct snap_scratch *s;
	struct st_flow f = {};

	if (!want_udp)
		return;
	flow_from_sk(sk, IPPROTO_UDP, &f);
	s = holders_take(sk, &f);
	if (!s) {
		if (unheld_wanted(&f))
			unheld_udp++;
		return;
	}
	if (!s->h.n || !flow_wanted(&f) || !(work_mask & ST_EV_BIT(ST_EV_UDP)))
		return;
	s->h.o.ts_ns = bpf_ktime_get_ns();
	if (f.rport && !snapshot_alone && !existing_udp_flow(s, &f))
		return;
	existing_write(seq, s, ST_EV_UDP, &f, sk, state);
}

#endif /* SOCKTRACE_ITER_UDP_BPF_H */

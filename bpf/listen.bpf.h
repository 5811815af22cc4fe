/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A TCP socket starts listening: the listen event. */
#ifndef SOCKTRACE_LISTEN_BPF_H
#define SOCKTRACE_LISTEN_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "emit.bpf.h"
#include "existing.bpf.h"

/*
 * The current task made sk listen. Its own frame (ST_OWN_FRAME): its locals
 * would add to the stack frame of every program that follows state changes.
 */
static ST_OWN_FRAME void listen_seen(struct sock *sk)
{
	struct st_flow f = {};

	if (!task_wanted(ST_EV_LISTEN, IPPROTO_TCP))
		return;
	flow_from_sk(sk, IPPROTO_TCP, &f);
	if (flow_wanted(&f) && !existing_taken(sk, &f))
		emit_current(ST_EV_LISTEN, &f, sk);
}

#endif /* SOCKTRACE_LISTEN_BPF_H */

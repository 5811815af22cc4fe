/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reads for programs handed plain addresses (kprobes, perf tracepoints):
 * RD(p, a, b, ...) reads p->a->b... through bpf_probe_read_kernel(), a
 * helper call a step, the offsets relocated (CO-RE). The other read
 * flavours: read_btf.bpf.h, read_cast.bpf.h; a source file includes one,
 * before any other bpf/ header.
 */
#ifndef SOCKTRACE_READ_PROBE_BPF_H
#define SOCKTRACE_READ_PROBE_BPF_H
#ifdef ST_READ_FLAVOUR
#error "one read flavour per source file"
#endif
#define ST_READ_FLAVOUR "probe"

#include "maps.bpf.h"

#define RD(...)			BPF_CORE_READ(__VA_ARGS__)
#define RD_BYTES(dst, n, p, f)	bpf_core_read(dst, n, &(p)->f)
#define TCP_SK(sk)		((struct tcp_sock *)(sk))
#define SK_TYPED(sk)		(sk)

/* A plain address already is a number. */
static __always_inline __u64 ptr_value(const void *p)
{
	return (__u64)(unsigned long)p;
}

#endif /* SOCKTRACE_READ_PROBE_BPF_H */

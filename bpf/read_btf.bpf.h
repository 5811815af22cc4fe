/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reads for programs handed BTF-typed pointers (tp_btf, fentry/fexit):
 * RD(p, a, b, ...) loads p->a->b... directly, one instruction a field, a
 * fault reading as 0; the offsets are relocated (CO-RE) to the running
 * kernel's. A source file includes one read flavour (this, read_probe.bpf.h
 * or read_cast.bpf.h) before any other bpf/ header; every shared function it
 * compiles then expects that kind of pointer.
 */
#ifndef SOCKTRACE_READ_BTF_BPF_H
#define SOCKTRACE_READ_BTF_BPF_H
#ifdef ST_READ_FLAVOUR
#error "one read flavour per source file"
#endif
#define ST_READ_FLAVOUR "btf"

#include "maps.bpf.h"

#define ___st_rd2(p, a)		((p)->a)
#define ___st_rd3(p, a, b)	((p)->a->b)
#define ___st_rd4(p, a, b, c)	((p)->a->b->c)
#define ___st_pick(_1, _2, _3, _4, n, ...) n
#define RD(...) ___st_pick(__VA_ARGS__, ___st_rd4, ___st_rd3, ___st_rd2, x)(__VA_ARGS__)
/* n bytes at field f of p (an address, array or struct member) */
#define RD_BYTES(dst, n, p, f)	__builtin_memcpy(dst, &(p)->f, n)
/* a cast does not change the type the verifier knows: ask the kernel */
#ifndef TCP_SK
#define TCP_SK(sk)		bpf_skc_to_tcp_sock(sk)
#endif
/* a socket address found by walking plain memory, as this flavour reads it */
#ifndef SK_TYPED
#define SK_TYPED(sk)		(sk)
#endif

/*
 * A kernel pointer as a plain number. A BTF-typed pointer may not take part
 * in arithmetic, so it goes through a map value: a privileged program may
 * store a pointer there, and what it loads back is a number (two plain
 * memory accesses, where a bpf_probe_read_kernel() of the stack slot would
 * be a helper call). Volatile, so that the compiler does not forward the
 * store to the load and hand the verifier the pointer again.
 */
static __always_inline __u64 ptr_value(const void *p)
{
	struct cpu_scratch *c = cpu_scratch_here();

	if (!c)	/* can't be: an array's slot 0 is there */
		return 0;
	*(const void *volatile *)&c->word = p;
	return *(volatile __u64 *)&c->word;
}

#endif /* SOCKTRACE_READ_BTF_BPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reads for a program that finds its socket by walking plain memory (a
 * syscall tracepoint) and casts it once to a BTF-typed pointer with the
 * bpf_rdonly_cast() kfunc (quirks.bpf.h): from there on it reads as
 * read_btf.bpf.h does, the JIT inlining the cast. An untrusted typed pointer
 * (what the cast gives) may not be passed to bpf_skc_to_tcp_sock(), so
 * TCP_SK() is a cast too.
 */
#ifndef SOCKTRACE_READ_CAST_BPF_H
#define SOCKTRACE_READ_CAST_BPF_H

#include "quirks.bpf.h"

#define SK_TYPED(sk) \
	((struct sock *)bpf_rdonly_cast((sk), bpf_core_type_id_kernel(struct sock)))
#define TCP_SK(sk) \
	((struct tcp_sock *)bpf_rdonly_cast((sk), bpf_core_type_id_kernel(struct tcp_sock)))

#include "read_btf.bpf.h"

#endif /* SOCKTRACE_READ_CAST_BPF_H */

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend's accept() exit, for kernels that have the kfunc
 * bpf_rdonly_cast() (Linux 6.2 and later; the loader looks for it in the
 * kernel's BTF and loads this or tp_sys.bpf.c's tp_accept_exit, never both).
 *
 * A syscall tracepoint hands a program plain addresses: every field read is a
 * bpf_probe_read_kernel() call. Here the socket found behind the descriptor
 * is cast once to a BTF-typed pointer, which the verifier lets the program
 * load from directly (a fault reads as 0), and the JIT inlines the cast: the
 * 5-tuple, state and counters cost no helper call. The walk from the task to
 * the socket stays on plain addresses (bpf/tp.bpf.h, sk_of_fd()).
 *
 * An untrusted typed pointer (what the cast gives) may not be passed to
 * bpf_skc_to_tcp_sock(), so the close path's TCP_SK() is a cast too.
 */
#define ST_BTF_POINTERS

/* declared as bpf_helpers.h's __ksym __weak would: unresolved on old kernels */
extern void *bpf_rdonly_cast(const void *obj, unsigned int btf_id)
	__attribute__((section(".ksyms"))) __attribute__((weak));

#define SK_TYPED(sk) \
	((struct sock *)bpf_rdonly_cast((sk), bpf_core_type_id_kernel(struct sock)))
#define TCP_SK(sk) \
	((struct tcp_sock *)bpf_rdonly_cast((sk), bpf_core_type_id_kernel(struct tcp_sock)))

#include "tp.bpf.h"

/* accept4(); the loader attaches it to sys_exit_accept as well */
SEC("tracepoint/syscalls/sys_exit_accept4")
int tp_accept_exit_btf(struct sys_exit_rec *ctx)
{
	return accept_exit(ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

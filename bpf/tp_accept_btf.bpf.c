// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend's accept() exit, for kernels that have the kfunc
 * bpf_rdonly_cast() (quirks.bpf.h; the loader looks for it in the kernel's
 * BTF and loads this or tp_accept_sys.bpf.c's tp_accept_exit, never both).
 * A syscall tracepoint hands a program plain addresses; here the socket
 * found behind the descriptor is cast once to a BTF-typed pointer
 * (read_cast.bpf.h), so the 5-tuple, state and counters cost no helper
 * call. The walk from the task to the socket stays on plain addresses
 * (sk_of_fd() in tp_accept.bpf.h).
 */
#include "read_cast.bpf.h"
#include "tp_accept.bpf.h"

/* accept4(); the loader attaches it to sys_exit_accept as well */
SEC("tracepoint/syscalls/sys_exit_accept4")
int tp_accept_exit_btf(struct sys_exit_rec *ctx)
{
	return accept_exit(ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

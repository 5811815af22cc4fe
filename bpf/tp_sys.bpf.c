// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend's accept() exit on plain addresses (a perf
 * tracepoint: every field is read with bpf_probe_read_kernel()), for kernels
 * without bpf_rdonly_cast() (see tp_accept.bpf.c). See tp.bpf.c for how
 * connect and accept are seen.
 */
#include "tp.bpf.h"

/*
 * accept4() here; the loader attaches the same program to sys_exit_accept as
 * well (the two records have the same layout): one program to verify, not two.
 */
SEC("tracepoint/syscalls/sys_exit_accept4")
int tp_accept_exit(struct sys_exit_rec *ctx)
{
	return accept_exit(ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

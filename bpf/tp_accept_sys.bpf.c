// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend's accept() exit on plain addresses (a perf
 * tracepoint: every field is read with bpf_probe_read_kernel()), for kernels
 * without bpf_rdonly_cast() (quirks.bpf.h; tp_accept_btf.bpf.c is the other).
 * accept4() here; the loader attaches the same program to sys_exit_accept as
 * well (the two records have the same layout): one program to verify, not two.
 */
#include "read_probe.bpf.h"
#include "tp_accept.bpf.h"

SEC("tracepoint/syscalls/sys_exit_accept4")
int tp_accept_exit(struct sys_exit_rec *ctx)
{
	return accept_exit(ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

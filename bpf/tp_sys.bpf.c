// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend's syscall-exit programs (perf tracepoints: their
 * pointers are plain addresses, read with bpf_probe_read_kernel()). See
 * tp.bpf.c for how connect and accept are seen.
 */
#include "tp.bpf.h"

SEC("tracepoint/syscalls/sys_exit_connect")
int tp_connect_exit(struct sys_exit_rec *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *skp;
	__u64 sk;

	if (!task_wanted(ST_EV_CONNECT, IPPROTO_TCP))
		return 0;	/* nothing was recorded for this task */
	skp = bpf_map_lookup_elem(&tp_connect_calls, &tid);
	if (!skp)
		return 0;
	sk = *skp;
	bpf_map_delete_elem(&tp_connect_calls, &tid);
	connect_done((struct sock *)sk);
	return 0;
}

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

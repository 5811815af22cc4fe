// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Every backend's connect() that fails before any SYN leaves (no route, no
 * free local port, refused by a cgroup, LSM or firewall program, an address
 * in use, a bad argument), TCP and UDP: the fail event goes out at the
 * syscall's exit, on the calling process, with the destination it asked for
 * and the errno as reason. The syscall tracepoints are plain perf
 * tracepoints on every kernel (read_probe.bpf.h). A connect that sent its
 * SYN is marked by the backend's connect hook (connect_calls.bpf.h); its
 * failure (refused, timeout) is reported by the state change, as before.
 */
#include "read_probe.bpf.h"
#include "tp_accept.bpf.h"
#include "connect_failed.bpf.h"

/* The record of sys_enter_connect (tracefs events/syscalls/.../format): the same on every kernel. */
struct sys_enter_connect_rec {
	__u64 common;
	__s32 syscall_nr;
	__s32 pad;
	__u64 fd;
	__u64 uservaddr;
	__u64 addrlen;
};

SEC("tracepoint/syscalls/sys_enter_connect")
int sys_connect_enter(struct sys_enter_connect_rec *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct connect_call c = {};

	if (task_wanted(ST_EV_FAIL, 0) &&
	    connect_call_of(sk_of_fd((long)ctx->fd), (const void *)(unsigned long)ctx->uservaddr,
			    ctx->addrlen, &c))
		bpf_map_update_elem(&connect_calls, &tid, &c, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int sys_connect_exit(struct sys_exit_rec *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct connect_call *c = bpf_map_lookup_elem(&connect_calls, &tid);
	struct connect_call copy;

	if (!c)
		return 0;
	copy = *c;
	bpf_map_delete_elem(&connect_calls, &tid);
	if (ctx->ret < 0 && !copy.began)
		connect_failed(&copy, -ctx->ret);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

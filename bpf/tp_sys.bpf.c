// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend's syscall-exit programs (perf tracepoints: their
 * pointers are plain addresses, read with bpf_probe_read_kernel()). See
 * tp.bpf.c for how connect and accept are seen.
 */
#include "tp.bpf.h"

/*
 * The record of a syscall exit tracepoint (tracefs events/syscalls/.../format):
 * the same on every kernel, so declared here, not relocated (see tp.bpf.c).
 */
struct sys_exit_rec {
	__u64 common;		/* type, flags, preempt count, pid */
	__s32 syscall_nr;
	__s32 pad;
	__s64 ret;
};

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

/* The socket behind descriptor fd of the current task, or NULL. */
static __always_inline struct sock *sk_of_fd(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	struct file *file = NULL;
	struct socket *sock;

	if (fd < 0 || fd >= max)
		return NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	if (!file)
		return NULL;
	/*
	 * A socket's file holds its struct socket, which points back at the
	 * file: that tells a socket from any other file in one read fewer than
	 * the inode's mode would, and with one kernel type fewer to relocate.
	 */
	sock = BPF_CORE_READ(file, private_data);
	if (!sock || BPF_CORE_READ(sock, file) != file)
		return NULL;
	return BPF_CORE_READ(sock, sk);
}

static __always_inline int accept_exit(long ret)
{
	struct sock *sk;
	__u16 family;

	if (ret < 0 || !task_wanted(ST_EV_ACCEPT, IPPROTO_TCP))
		return 0;
	sk = sk_of_fd(ret);
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	tcp_open(ST_EV_ACCEPT, sk);
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

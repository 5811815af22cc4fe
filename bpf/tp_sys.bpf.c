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

/*
 * Where the members sk_of_fd() walks lie, in bytes: the loader finds them in
 * the kernel's BTF (user/btfscan.c) on its second thread, while libbpf parses
 * that BTF for the rest. Relocated by CO-RE instead, these five kernel types
 * cost libbpf a search of the whole BTF each (~1.3 ms apiece, here) on the
 * path to attaching. All are top-level members of their structs.
 */
const volatile __u32 off_task_files = 0;	/* task_struct.files */
const volatile __u32 off_files_fdt = 0;		/* files_struct.fdt */
const volatile __u32 off_fdt_fd = 0;		/* fdtable.fd */
const volatile __u32 off_fdt_max_fds = 0;	/* fdtable.max_fds */
const volatile __u32 off_file_private_data = 0;	/* file.private_data */
const volatile __u32 off_socket_file = 0;	/* socket.file */
const volatile __u32 off_socket_sk = 0;		/* socket.sk */

/* the pointer at base + off (NULL when it can't be read) */
static __always_inline const void *ptr_at(const void *base, __u64 off)
{
	const void *p = NULL;

	bpf_probe_read_kernel(&p, sizeof(p), (const char *)base + off);
	return p;
}

/* The socket behind descriptor fd of the current task, or NULL. */
static __always_inline struct sock *sk_of_fd(long fd)
{
	const void *task = (const void *)bpf_get_current_task();
	const void *fdt = ptr_at(ptr_at(task, off_task_files), off_files_fdt);
	const void *fds = ptr_at(fdt, off_fdt_fd);
	const void *file, *sock;
	unsigned int max = 0;

	bpf_probe_read_kernel(&max, sizeof(max), (const char *)fdt + off_fdt_max_fds);
	if (fd < 0 || fd >= max)
		return NULL;
	file = ptr_at(fds, (__u64)fd * sizeof(void *));
	if (!file)
		return NULL;
	/*
	 * A socket's file holds its struct socket, which points back at the
	 * file: that tells a socket from any other file in one read fewer than
	 * the inode's mode would.
	 */
	sock = ptr_at(file, off_file_private_data);
	if (!sock || ptr_at(sock, off_socket_file) != file)
		return NULL;
	return (struct sock *)ptr_at(sock, off_socket_sk);
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

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The tracepoint backend's accept: the exit of accept() and accept4(); the
 * new descriptor leads to the socket through the task's file table. Shared
 * by tp_accept_sys.bpf.c (plain addresses) and tp_accept_btf.bpf.c (the
 * socket cast to a BTF-typed pointer); the loader loads one of the two.
 */
#ifndef SOCKTRACE_TP_ACCEPT_BPF_H
#define SOCKTRACE_TP_ACCEPT_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "tcp_life.bpf.h"

/*
 * The record of a syscall exit tracepoint (tracefs events/syscalls/.../format):
 * the same on every kernel, so declared here, not relocated.
 */
struct sys_exit_rec {
	__u64 common;		/* type, flags, preempt count, pid */
	__s32 syscall_nr;
	__s32 pad;
	__s64 ret;
};

/*
 * Where the members sk_of_fd() walks lie, in bytes: the loader finds them in
 * the kernel's BTF (user/btfscan.c) on its second thread, while libbpf parses
 * that BTF for the rest; relocated by CO-RE instead, each of these types
 * would cost libbpf a search of the whole BTF on the path to attaching. All
 * are top-level members of their structs.
 */
const volatile __u32 off_task_files __weak = 0;	/* task_struct.files */
const volatile __u32 off_files_fdt __weak = 0;		/* files_struct.fdt */
const volatile __u32 off_fdt_fd __weak = 0;		/* fdtable.fd */
const volatile __u32 off_fdt_max_fds __weak = 0;	/* fdtable.max_fds */
const volatile __u32 off_file_private_data __weak = 0;	/* file.private_data */
const volatile __u32 off_socket_file __weak = 0;	/* socket.file */
const volatile __u32 off_socket_sk __weak = 0;		/* socket.sk */

/* the pointer at base + off (NULL when it can't be read) */
static __always_inline const void *ptr_at(const void *base, __u64 off)
{
	const void *p = NULL;

	bpf_probe_read_kernel(&p, sizeof(p), (const char *)base + off);
	return p;
}

/* The socket behind descriptor fd of the current task, or NULL: a plain address. */
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

/*
 * What an accept() returned: a TCP socket opened by the current task.
 * SK_TYPED (the read flavour's) makes the address sk_of_fd() found into the
 * kind of pointer RD() reads.
 */
static __always_inline int accept_exit(long ret)
{
	struct sock *sk;
	__u16 family;

	if (ret < 0 || !task_wanted(ST_EV_ACCEPT, IPPROTO_TCP))
		return 0;
	sk = sk_of_fd(ret);
	if (!sk)
		return 0;
	sk = SK_TYPED(sk);
	if (RD(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	family = RD(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	tcp_open(ST_EV_ACCEPT, sk);
	return 0;
}

#endif /* SOCKTRACE_TP_ACCEPT_BPF_H */

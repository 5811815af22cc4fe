// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor of socktrace's tracepoint backend: programs that do nothing, on
 * exactly the hooks that backend attaches (bpf/tp_set_state.bpf.c, bpf/tp_dev_queue.bpf.c,
 * bpf/tp_accept_sys.bpf.c),
 * as many times each. What the load pays with these attached is the price of
 * the hooks firing at all (dispatch, and the syscall slow path that any
 * syscall tracepoint turns on); whatever socktrace costs beyond it is its
 * programs' own work. Loaded by bench/floor.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/* the state-change hook: socktrace attaches a main program and its twin */
SEC("tp_btf/inet_sock_set_state")
int floor_state(void *ctx)
{
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int floor_state_twin(void *ctx)
{
	return 0;
}

SEC("tp_btf/net_dev_queue")
int floor_dev_queue(void *ctx)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int floor_accept4_exit(void *ctx)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept")
int floor_accept_exit(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

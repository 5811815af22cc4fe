// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tiny programs that tell, by loading and attaching for real, whether this
 * kernel lets us use a kprobe on tcp_connect() or a BTF tracepoint. Built as
 * an object of its own: the loader tries each alone. (The fentry probe is
 * made with raw syscalls in user/backend.c, to spare a parse of the BTF.)
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/tcp_connect")
int BPF_KPROBE(probe_kprobe)
{
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(probe_tp_btf)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

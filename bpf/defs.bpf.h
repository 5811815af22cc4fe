/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every socktrace BPF source needs first: the kernel's types
 * (vmlinux.h), libbpf's helpers, the event ABI (include/socktrace.h) and the
 * few kernel constants vmlinux.h does not carry (#defines are not in BTF).
 *
 * The bpf/ sources are linked into one object (`bpftool gen object`): maps
 * and globals are __weak, so the identical definitions each file carries
 * merge into one.
 */
#ifndef SOCKTRACE_DEFS_BPF_H
#define SOCKTRACE_DEFS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "socktrace.h"

#define AF_INET		2
#define AF_INET6	10
#define EINPROGRESS	115
#define EALREADY	114
#define EISCONN		106
#define ECONNABORTED	103
#define TCP_ESTABLISHED	1
#define TCP_SYN_SENT	2
#define TCP_CLOSE	7
#define TCP_SYN_RECV	3
#define TCP_LISTEN	10
#define TCP_TIME_WAIT	6
#define TCP_NEW_SYN_RECV 12

#endif /* SOCKTRACE_DEFS_BPF_H */

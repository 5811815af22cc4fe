/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel quirks: each way the code bends around one kernel or a range of
 * kernels, with the kernel change that forced it. Code that depends on one
 * names it from here, so that removing a quirk is a search for its name
 * when the oldest supported kernel moves past it. Userspace's side of the
 * same quirks: user/backend_btf.c (bpf_rdonly_cast in BTF), user/backend.c
 * (prog info recursion_misses: 5.12 and later, 0 before).
 */
#ifndef SOCKTRACE_QUIRKS_BPF_H
#define SOCKTRACE_QUIRKS_BPF_H

#include "maps.bpf.h"

/*
 * inet_csk_accept() took (sk, flags, err, kern) up to 6.9 and (sk, arg)
 * since 6.10, commit 92ef0fd55ac8 ("net: change proto->accept to take a
 * struct"). A CO-RE check, a constant at load time. fexit finds the return
 * value after the arguments, so its slot moves: bpf/fentry.bpf.c has one
 * program per signature (a single one choosing the slot lets clang compute
 * the ctx offset, which the verifier refuses).
 */
#define ST_ACCEPT_TAKES_ARG()	bpf_core_type_exists(struct proto_accept_arg)

/*
 * __skb_recv_udp() took (sk, flags, noblock, off, err) up to 5.18 and (sk,
 * flags, off, err) since 5.19, commit ec095263a965 ("net: remove noblock
 * parameter from recvmsg() entities"). No type came or went with it, so the
 * release says (libbpf reads it from the running kernel; a constant at load
 * time): fexit finds the returned datagram one slot later before 5.19. One
 * fexit program per signature, as for the accept above.
 */
extern __u32 LINUX_KERNEL_VERSION __kconfig;
#define ST_RECV_UDP_HAS_NOBLOCK()	(LINUX_KERNEL_VERSION < KERNEL_VERSION(5, 19, 0))

/*
 * bpf_rdonly_cast(): the kfunc that makes a plain address into a read-only
 * BTF-typed pointer, since 6.2 (commit a35b9af4ec2c, "bpf: Add a kfunc for
 * generic type cast"). Declared as bpf_helpers.h's __ksym __weak would:
 * unresolved on older kernels, where the loader loads the accept exit of
 * bpf/tp_accept_sys.bpf.c instead of bpf/tp_accept_btf.bpf.c.
 */
extern void *bpf_rdonly_cast(const void *obj, unsigned int btf_id)
	__attribute__((section(".ksyms"))) __attribute__((weak));

/*
 * A program and everything it calls inlined share one stack of 512 bytes,
 * before 6.13 (the private-stack work of 6.13 lets each subprogram of a
 * program that has one use 512 on its own). A function marked ST_OWN_FRAME
 * is a BPF subprogram: its locals live in its own frame, and the program's
 * stack is the deepest chain of frames, not the sum of every inlined local.
 */
#define ST_OWN_FRAME	__noinline

/*
 * 5.10 and 5.11 have no fetching atomics: BPF_FETCH, xchg and cmpxchg came
 * in 5.12 (commits 5ca419f2864a, "bpf: Add BPF_FETCH field / create
 * atomic_fetch_add instruction", and 5ffa25502b5a, "bpf: Add instructions
 * for atomic_[cmp]xchg"). Their verifier refuses a program that holds one,
 * reached or not: so no compare-and-swap anywhere (connect_claim() in
 * bpf/tp_connect.bpf.h settles its race by the socket's lock instead).
 *
 * st_full_barrier(cell): a full memory barrier, made of an atomic add to a
 * per-CPU cell (docs/DESIGN.md#the-fence). In BPF only the fetching atomics
 * are fully ordered; a plain atomic add (BPF_ADD without BPF_FETCH) is not.
 * x86: both the JIT and the interpreter make any atomic add a lock-prefixed
 * add, which is a full barrier; a plain add keeps 5.10 working. Other
 * architectures (arm64): a fetching add, its result kept live so that clang
 * emits the fetching form; the kernel must be 5.12 or later, and the arm64
 * JIT compiles it from 5.18 (before, the interpreter runs it, where the
 * kernel allows the interpreter).
 */
#if defined(__TARGET_ARCH_x86)
#define st_full_barrier(cell)	__sync_fetch_and_add((cell), 1)
#else
#define st_full_barrier(cell)						\
	({								\
		__u64 ___old = __sync_fetch_and_add((cell), 1);		\
		asm volatile("" : : "r"(___old) : "memory");		\
	})
#endif

/*
 * tp_btf programs do not nest on a CPU from 6.2 on: the kernel skips a
 * program already running there (a "recursion miss"), where before it ran
 * it nested. The state-change programs are built around both behaviours:
 * bpf/state_programs.bpf.h, docs/DESIGN.md#nested-state-changes.
 *
 * The private stack (6.13 and later, x86-64): a program whose frames are of
 * 64 bytes and more, and which the kernel believes cannot run nested on a
 * CPU, gets a per-CPU stack instead of the kernel's. The state-change work
 * program is entered by tail call past that check, and does run nested: on
 * one private stack the nested run overwrote the interrupted run's locals.
 * A program that holds a tail call gets no private stack, so the work
 * program ends with one into a slot that is always empty (a no-op).
 */
#define st_no_private_stack(ctx)	bpf_tail_call((ctx), &state_work, ST_STATE_WORK_NEVER)

#endif /* SOCKTRACE_QUIRKS_BPF_H */

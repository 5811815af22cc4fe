/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Backends: the same events from three kinds of hook. Which ones work is found
 * by loading and attaching programs for real, never guessed from a version.
 */
#ifndef ST_BACKEND_H
#define ST_BACKEND_H

#include <stdbool.h>
#include <stdio.h>
#include "backend_id.h"
#include "cli.h"

struct socktrace_bpf;

/* Remember libbpf's messages; print them too when verbose. Call first. */
void st_libbpf_log_setup(bool verbose);

/* Can a tiny program of this backend load and attach? 0, or -1 with why. */
int st_backend_probe(int backend, char *why, size_t len);

/* The tracepoint backend can see received UDP here (sock:sock_recv_length, 6.3). */
bool st_kernel_has_recv_length(void);
/* nf_nat_setup_info() has BTF here: the fentry backend reads DNATs (bpf/nat_pending.bpf.h) */
bool st_kernel_has_nat_btf(void);
/* nf_nat is loaded here: the kprobe backend probes nf_nat_setup_info() */
bool st_kernel_has_nat(void);
/* A map element iterator loads here (bpf/iter.bpf.c forget_*). */
bool st_kernel_iterates_map_elems(void);
/* Received UDP is traced: UDP is followed, and backend can see it here. */
bool st_udp_recv_traced(int backend, const struct st_opts *o);

/* Open, configure from o, load and attach one backend. 0, or -1 with why. */
int st_backend_load(int backend, const struct st_opts *o, struct socktrace_bpf **skel,
		    char *why, size_t len);

/* The first backend that loads and attaches, in the order fentry, kprobe,
 * tracepoint; or the one o->backend forces. 0, or -1 with why. */
int st_backend_start(const struct st_opts *o, struct socktrace_bpf **skel, int *chosen,
		     char *why, size_t len);

/*
 * Hook runs the kernel skipped (prog info recursion_misses, 5.12 and later;
 * kprobes' from 6.7; 0 before), over the hooks loaded and the connect
 * syscall's tracepoints, and in which the
 * programs that skipped with their counts. A trampoline program skips when it
 * is already running on that CPU; a kprobe program when any kprobe or perf
 * tracepoint program is, or a bpf() map call that was preempted on that CPU
 * (bpf_prog_active: kernels with CONFIG_PREEMPTION, such as Debian's 7.x).
 * The state-change programs are left out: what one of the pair skips, the
 * other handles (STATE_PROGRAMS in bpf/state_programs.bpf.h).
 */
unsigned long long st_backend_missed(struct socktrace_bpf *skel, char *which, size_t len);

/* Detach and free what st_backend_load() or st_backend_start() made. */
void st_backend_unload(struct socktrace_bpf *skel);

/* --probe: what each backend can do on this kernel, and the choice; o->json: as one JSON object. */
int st_backend_report(FILE *out, const struct st_opts *o);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel side of the test seams, each 0 outside tests (the verifier
 * drops the check), set by the loader from the environment, which says so:
 * - SOCKTRACE_TEST_LOSE_CLOSE_PORT (test_lose_close_port): closes of sockets
 *   with this local or remote port are ignored, as if the kernel had not run
 *   the state-change programs for them, so that st-live can check that such
 *   a close still goes out, late (docs/DESIGN.md#late-closes).
 * - SOCKTRACE_TEST_LOSE_RETURN_PORT (test_lose_return_port): the kprobe
 *   backend's tcp_connect() returns on connects to this remote port are
 *   ignored, as if the kernel had had no return probe left for them, so that
 *   st-live can check that such a connect is still reported
 *   (tp_connect.bpf.h).
 */
#ifndef SOCKTRACE_TEST_SEAM_BPF_H
#define SOCKTRACE_TEST_SEAM_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "flow.bpf.h"

const volatile __u16 test_lose_close_port __weak = 0;
const volatile __u16 test_lose_return_port __weak = 0;

/* tests only: act as if this close of sk had not been traced */
static __always_inline bool test_close_lost(struct sock *sk)
{
	return test_lose_close_port && (sk_lport(sk) == test_lose_close_port ||
					sk_rport(sk) == test_lose_close_port);
}

/* tests only: act as if the return of this connect's tcp_connect() had not been probed */
static __always_inline bool test_return_lost(struct sock *sk)
{
	return test_lose_return_port && sk_rport(sk) == test_lose_return_port;
}

#endif /* SOCKTRACE_TEST_SEAM_BPF_H */

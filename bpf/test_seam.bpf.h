/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel side of the one test seam, SOCKTRACE_TEST_LOSE_CLOSE_PORT (the
 * loader sets test_lose_close_port from it, and says so): closes of sockets
 * with this local or remote port are ignored, as if the kernel had not run
 * the state-change programs for them, so that tests/live.c can check that
 * such a close still goes out, late (docs/DESIGN.md#late-closes). 0, always
 * outside tests: the verifier drops the check.
 */
#ifndef SOCKTRACE_TEST_SEAM_BPF_H
#define SOCKTRACE_TEST_SEAM_BPF_H

#ifndef ST_READ_FLAVOUR
#error "include a read flavour first: read_btf.bpf.h, read_probe.bpf.h or read_cast.bpf.h"
#endif
#include "flow.bpf.h"

const volatile __u16 test_lose_close_port __weak = 0;

/* tests only: act as if this close of sk had not been traced */
static __always_inline bool test_close_lost(struct sock *sk)
{
	return test_lose_close_port && (sk_lport(sk) == test_lose_close_port ||
					sk_rport(sk) == test_lose_close_port);
}

#endif /* SOCKTRACE_TEST_SEAM_BPF_H */

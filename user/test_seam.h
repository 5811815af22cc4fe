/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The test seam, userspace half, in one place: SOCKTRACE_TEST_LOSE_CLOSE_PORT=PORT
 * makes the kernel side ignore closes on PORT as they happen, so that tests can
 * watch socktrace find them late (test_lose_close_port in bpf/);
 * SOCKTRACE_TEST_LOSE_RETURN_PORT=PORT makes the kprobe backend ignore the
 * returns of tcp_connect() to remote PORT, so that tests can watch such
 * connects reported all the same (test_lose_return_port);
 * SOCKTRACE_TEST_PROC_TABLE=N makes the kernel's process table (proc_stats)
 * hold N processes, so that tests can watch it evict. Tests only;
 * the command-line parser reads no environment.
 */
#ifndef ST_TEST_SEAM_H
#define ST_TEST_SEAM_H

#include <stddef.h>
#include "cli.h"

/* Set o's test_ fields from the environment. 0, or -1 with why. */
int st_test_seam_read(struct st_opts *o, char *err, size_t errlen);

/* Say on stderr that the seam is in use, if it is. */
void st_test_seam_announce(const struct st_opts *o);

#endif

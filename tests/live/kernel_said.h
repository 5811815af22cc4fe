/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: socktrace's word on this kernel, checked (kernel_said.c) */
#ifndef ST_LIVE_KERNEL_SAID_H
#define ST_LIVE_KERNEL_SAID_H

#include <stddef.h>
#include "ev.h"
#include "tracer.h"

/* the backend socktrace's stderr (err) says it traces with, into live_backend */
void backend_said(const char *err);
/* where nothing rewrote a destination, no event may claim a real one: 0, or -1 with why */
int check_no_nat(const struct evset *got, char *why, size_t len);
/* received UDP unseen here (1), seen (0), or socktrace's word wrong (-1 with why) */
int udp_in_unseen(const char *err, char *why, size_t len);
/* without it, no flow of a receiver is expected */
void expect_no_udp_in(struct evset *exp);
/*
 * The n connects whose tcp_connect() returns the kprobe backend was made to
 * miss are counted at exit, there and nowhere else: 0, or -1 with why.
 */
int check_late_connects(const struct tracer *t, int n, char *why, size_t len);

#endif

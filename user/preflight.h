/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What is checked and set before touching the kernel: privilege, BTF,
 * libbpf's messages, the memlock limit, and a terminal for --top.
 */
#ifndef ST_PREFLIGHT_H
#define ST_PREFLIGHT_H

#include "cli.h"

/* 0, or -1 with the reason said on stderr */
int st_preflight(const struct st_opts *o);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The backends, by number: the order in which auto tries them. Userspace only. */
#ifndef ST_BACKEND_ID_H
#define ST_BACKEND_ID_H

enum st_backend {
	ST_BACKEND_FENTRY = 0,
	ST_BACKEND_KPROBE,
	ST_BACKEND_TRACEPOINT,
	ST_BACKEND_MAX,
};

#endif

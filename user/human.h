/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef ST_HUMAN_H
#define ST_HUMAN_H

#include <stddef.h>

/* A count for people, in powers of 1024: "12345", "12.3K", "4.5M", "1.2G" */
void st_human(char *buf, size_t len, unsigned long long v);

#endif

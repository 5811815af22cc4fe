/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef SOCKTRACE_START_MARKS_H
#define SOCKTRACE_START_MARKS_H

#include <stdio.h>

/*
 * Where the start-up's time goes: each step marks its end, and -v prints the
 * marks as one line once tracing has begun (bench/TARGETS.md reads it).
 */
void st_start_mark(const char *step);
void st_start_report(FILE *out);

#endif

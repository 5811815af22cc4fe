/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The last words of a run, on stderr: how many events and drops, and each
 * kind of loss the kernel side counted (skipped hook runs, connections not
 * followed, closes found late, connects never reported). Tests and the
 * benchmark read these lines: their text does not change.
 */
#ifndef ST_EXIT_REPORT_H
#define ST_EXIT_REPORT_H

#include "run.h"

void st_exit_report(const struct st_run *r);

#endif

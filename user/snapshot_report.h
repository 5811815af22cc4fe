/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the snapshot of existing sockets found, in words: on stderr, and in --summary. */
#ifndef ST_SNAPSHOT_REPORT_H
#define ST_SNAPSHOT_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "snapshot_counts.h"

/* stderr: how many were reported, of which kind, how long it took; what was left out */
void st_snapshot_report(FILE *f, const struct st_snapshot_counts *c);

/* --summary: one line (text) or one object (JSON, "event":"existing") */
void st_print_snapshot_summary(FILE *f, const struct st_snapshot_counts *c, bool json,
			       long long epoch_ns);

#endif

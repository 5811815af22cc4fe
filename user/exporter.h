/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics as an output of the pipeline: every event is summed (metrics.c),
 * and /metrics (http_server.c) writes the sums (metrics_text.c).
 */
#ifndef ST_EXPORTER_H
#define ST_EXPORTER_H

#include "run.h"

struct st_event;

int st_exporter_start(struct st_run *r);	/* 0, or -1 said on stderr */
void st_exporter_event(struct st_run *r, const struct st_event *e);
void st_exporter_stop(struct st_run *r);

#endif

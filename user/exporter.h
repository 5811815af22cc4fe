/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics as an output of the pipeline: every event is summed (metrics.c),
 * and /metrics (http_server.c) writes the sums (metrics_text.c).
 */
#ifndef ST_EXPORTER_H
#define ST_EXPORTER_H

#include <stdbool.h>
#include "run.h"

struct st_event;
struct st_cg_name;

int st_exporter_start(struct st_run *r);	/* 0, or -1 said on stderr */
/* the labels chosen want each event's cgroup named (cgroup_names.h) */
bool st_exporter_wants_cgroups(const struct st_run *r);
/* cg: the event's cgroup, NULL when not named */
void st_exporter_event(struct st_run *r, const struct st_event *e, const struct st_cg_name *cg);
void st_exporter_stop(struct st_run *r);

#endif

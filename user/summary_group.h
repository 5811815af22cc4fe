/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --summary --by comm|unit|container|cgroup: the per-process table summed per
 * name, per unit, per container or per cgroup (the cgroup each process had at
 * its first event, named by cgroup_names.c). Processes with no such name are
 * summed under none ("-").
 */
#ifndef ST_SUMMARY_GROUP_H
#define ST_SUMMARY_GROUP_H

#include <stdbool.h>
#include <stdio.h>
#include "cli.h"
#include "proc_table.h"

struct st_cgroups;

/* the groups of t as a table or as JSON lines ("event":"summary","by":...) */
void st_print_summary_by(FILE *f, const struct st_table *t, enum st_by by, struct st_cgroups *c,
			 bool json, long long epoch_ns);

#endif

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "test_seam.h"

#define LOSE_CLOSE_PORT	"SOCKTRACE_TEST_LOSE_CLOSE_PORT"
#define LOSE_RETURN_PORT	"SOCKTRACE_TEST_LOSE_RETURN_PORT"
#define PROC_TABLE	"SOCKTRACE_TEST_PROC_TABLE"
#define NO_CG_WALK	"SOCKTRACE_TEST_NO_CGROUP_WALK"

int st_test_seam_read(struct st_opts *o, char *err, size_t errlen)
{
	const char *lose = getenv(LOSE_CLOSE_PORT), *table = getenv(PROC_TABLE);
	const char *no_walk = getenv(NO_CG_WALK), *lose_ret = getenv(LOSE_RETURN_PORT);

	o->test_lose_close_port = 0;
	o->test_lose_return_port = 0;
	o->test_proc_table = 0;
	o->test_no_cgroup_walk = no_walk && !strcmp(no_walk, "1");
	if (lose && *lose && st_parse_uint(lose, 1, 65535, &o->test_lose_close_port,
					   LOSE_CLOSE_PORT, err, errlen))
		return -1;
	if (lose_ret && *lose_ret && st_parse_uint(lose_ret, 1, 65535, &o->test_lose_return_port,
						   LOSE_RETURN_PORT, err, errlen))
		return -1;
	if (table && *table && st_parse_uint(table, 2, 1u << 20, &o->test_proc_table,
					     PROC_TABLE, err, errlen))
		return -1;
	return 0;
}

void st_test_seam_announce(const struct st_opts *o)
{
	if (o->test_lose_close_port)
		fprintf(stderr, "socktrace: test mode (" LOSE_CLOSE_PORT "): closes on port %llu are "
			"ignored as they happen\n", o->test_lose_close_port);
	if (o->test_lose_return_port)
		fprintf(stderr, "socktrace: test mode (" LOSE_RETURN_PORT "): on the kprobe backend, "
			"tcp_connect()'s returns to port %llu are ignored\n", o->test_lose_return_port);
	if (o->test_proc_table)
		fprintf(stderr, "socktrace: test mode (" PROC_TABLE "): the kernel's process table "
			"holds %llu processes\n", o->test_proc_table);
	if (o->test_no_cgroup_walk)
		fprintf(stderr, "socktrace: test mode (" NO_CG_WALK "): the cgroups that exist "
			"now are named at their first event only\n");
}

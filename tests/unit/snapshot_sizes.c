// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: the maps that hold every open socket, sized from the machine's open files. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "snapshot_sizes.h"
#include "unit.h"

/* the sizes for a file-nr that reads text (NULL: a path that does not exist) */
static struct st_snapshot_sizes sizes_for(const char *text)
{
	char path[] = "/tmp/st-unit-file-nr.XXXXXX";
	struct st_snapshot_sizes z = { 0 };
	int fd = mkstemp(path);
	FILE *f;

	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		CHECK(0, "mkstemp");
		return z;
	}
	if (text)
		fputs(text, f);
	fclose(f);
	if (!text)
		unlink(path);
	st_snapshot_sizes(path, &z);
	if (text)
		unlink(path);
	return z;
}

void test_snapshot_sizes(void)
{
	struct st_snapshot_sizes z;

	/* a quiet machine: the smallest of each, tcp_owners as it always was */
	z = sizes_for("570\t0\t2466235\n");
	CHECK(z.holders == 16384 && z.claims == 65536 && z.owners == 65536, "quiet: %u %u %u",
	      z.holders, z.claims, z.owners);
	/* 200,000 open files (100,000 loopback connections): 254,096 with the margin */
	z = sizes_for("200000\t0\t2466235\n");
	CHECK(z.holders == 262144 && z.claims == 524288 && z.owners == 262144, "busy: %u %u %u",
	      z.holders, z.claims, z.owners);
	/* far more: each at its bound (tcp_owners' 150 MB) */
	z = sizes_for("50000000\t0\t99999999\n");
	CHECK(z.holders == 1u << 22 && z.claims == 1u << 22 && z.owners == 1u << 20,
	      "huge: %u %u %u", z.holders, z.claims, z.owners);
	/* unreadable or not a number: as if 262,144 files were open */
	z = sizes_for(NULL);
	CHECK(z.holders == 524288 && z.owners == 524288, "missing: %u %u", z.holders, z.owners);
	z = sizes_for("x\n");
	CHECK(z.holders == 524288 && z.owners == 524288, "garbage: %u %u", z.holders, z.owners);
}

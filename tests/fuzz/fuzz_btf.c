// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: st_btf_find_func(), its reading twin st_btf_find_func_read()
 * and st_btf_member_offsets() on arbitrary bytes. They must never read past
 * the data (ASan watches; the mapped scan only to the page's end); the id found
 * must be -1 or one the data can hold (at least 12 bytes per type record),
 * a member's offset -1 or one a 32-bit BTF offset in bits can give.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "btfscan.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static int fd = -1;
	int id;

	if (fd < 0 && (fd = memfd_create("fuzz_btf", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	/* the mapped scan and the reading one */
	id = st_btf_find_func(fd, "tcp_connect");
	if (id != -1 && (id < 1 || (size_t)id * 12 > size))
		abort();
	id = st_btf_find_func_read(fd, "tcp_connect");
	if (id != -1 && (id < 1 || (size_t)id * 12 > size))
		abort();
	{
		/* a copy of exactly size bytes: ASan sees any read past it */
		unsigned char *copy = malloc(size ? size : 1);
		struct st_btf_member m[] = { { "socket", "sk", 0 }, { "file", "private_data", 0 } };
		int ret;

		if (!copy)
			abort();
		memcpy(copy, data, size);
		ret = st_btf_member_offsets(copy, size, m, 2);
		for (int i = 0; i < 2; i++)
			if (m[i].offset < -1 || m[i].offset > (long)(UINT32_MAX / 8) ||
			    (ret == 0 && m[i].offset < 0))
				abort();
		free(copy);
	}
	return 0;
}

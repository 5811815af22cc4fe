// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: st_btf_find_func() on arbitrary bytes. It must never read past
 * the data (ASan watches) and what it returns must be -1 or a type id that
 * the data can hold (at least 12 bytes per type record).
 */
#define _GNU_SOURCE
#include <stdlib.h>
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
	id = st_btf_find_func(fd, "tcp_connect");
	if (id != -1 && (id < 1 || (size_t)id * 12 > size))
		abort();
	return 0;
}

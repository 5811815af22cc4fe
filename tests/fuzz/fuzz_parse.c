// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: the value parsers (numbers, port lists and ranges, pid lists,
 * event lists, sizes). What they accept must be in range and well formed.
 */
#include <stdlib.h>
#include <string.h>
#include "parse.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1), err[256];
	struct st_port_range r[ST_MAX_PORTS];
	__u32 pids[ST_MAX_PIDS], mask;
	unsigned long long v;
	int n;

	memcpy(s, data, size);
	s[size] = '\0';
	if (st_parse_ports(s, r, ST_MAX_PORTS, &n, err, sizeof(err)) == 0) {
		if (n < 1 || n > ST_MAX_PORTS)
			abort();
		for (int i = 0; i < n; i++)
			if (!r[i].lo || r[i].lo > r[i].hi)
				abort();
	}
	if (st_parse_pids(s, pids, ST_MAX_PIDS, &n, err, sizeof(err)) == 0) {
		for (int i = 0; i < n; i++)
			if (!pids[i] || pids[i] > 4194304)
				abort();
	}
	if (st_parse_events(s, &mask, err, sizeof(err)) == 0 && (!mask || (mask & ~ST_EV_ALL)))
		abort();
	if (st_parse_uint(s, 1, 65535, &v, "port", err, sizeof(err)) == 0 && (!v || v > 65535))
		abort();
	if (st_parse_size(s, &v, err, sizeof(err)) == 0 && (!v || v > (1ULL << 40)))
		abort();
	free(s);
	return 0;
}

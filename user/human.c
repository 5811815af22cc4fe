// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include "human.h"

void st_human(char *buf, size_t len, unsigned long long v)
{
	static const char unit[] = "KMGTP";
	double d = (double)v;
	int u = -1;

	if (v < 10000) {
		snprintf(buf, len, "%llu", v);
		return;
	}
	while (d >= 1000 && u < 4) {
		d /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f%c", d, unit[u]);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The unit tests' printer: one event as the stream prints it, into memory. */
#include <stdlib.h>
#include "format.h"
#include "unit.h"

char *unit_print(bool json, const struct st_event *e, const struct st_enriched *x)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);

	if (json)
		st_print_json(f, e, 0, x);
	else
		st_print_text(f, e, 0, x);
	fclose(f);
	return mem;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The unit tests' one connect event, printed with what the enrichers found. */
#include <stdio.h>
#include "format.h"
#include "unit.h"

char *unit_print_connect(bool json, const struct st_enriched *x)
{
	struct st_event e = { .type = ST_EV_CONNECT, .proto = 6, .family = 4, .pid = 7,
			      .lport = 1, .rport = 2, .comm = "c" };
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);

	if (json)
		st_print_json(f, &e, 0, x);
	else
		st_print_text(f, &e, 0, x);
	fclose(f);
	return mem;
}

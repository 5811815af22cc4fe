// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: the one table of event kinds, by name and by type. */
#include "event_kinds.h"
#include "unit.h"

void test_event_kinds(void)
{
	char buf[256];

	for (size_t i = 0; i < st_n_event_kinds; i++)
		CHECK(st_event_type(st_event_kinds[i].name, strlen(st_event_kinds[i].name)) ==
		      st_event_kinds[i].type && !strcmp(st_event_name(st_event_kinds[i].type),
							st_event_kinds[i].name), "kind %zu", i);
	CHECK(st_event_type("conn", 4) == 0, "a prefix is no kind");
	CHECK_STR(st_event_name(0), "?");
	CHECK_STR(st_event_name(ST_EV_MAX), "?");
	st_event_names(buf, sizeof(buf), ", ", " or ");
	CHECK_STR(buf, "connect, accept, udp, close, fail, listen or dns");
}

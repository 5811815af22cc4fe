// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "event_kinds.h"

const struct st_event_kind st_event_kinds[] = {
	{ ST_EV_CONNECT, "connect" },
	{ ST_EV_ACCEPT, "accept" },
	{ ST_EV_UDP, "udp" },
	{ ST_EV_CLOSE, "close" },
	{ ST_EV_FAIL, "fail" },
	{ ST_EV_LISTEN, "listen" },
	{ ST_EV_DNS, "dns" },
};
const size_t st_n_event_kinds = sizeof(st_event_kinds) / sizeof(st_event_kinds[0]);

_Static_assert(sizeof(st_event_kinds) / sizeof(st_event_kinds[0]) == ST_EV_MAX - 1,
	       "every enum st_event_type has a line in st_event_kinds");

const char *st_event_name(unsigned int type)
{
	for (size_t i = 0; i < st_n_event_kinds; i++)
		if (st_event_kinds[i].type == type)
			return st_event_kinds[i].name;
	return "?";
}

unsigned int st_event_type(const char *s, size_t len)
{
	for (size_t i = 0; i < st_n_event_kinds; i++)
		if (strlen(st_event_kinds[i].name) == len && !strncmp(s, st_event_kinds[i].name, len))
			return st_event_kinds[i].type;
	return 0;
}

void st_event_names(char *buf, size_t len, const char *sep, const char *last_sep)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < st_n_event_kinds && o < len; i++) {
		const char *before = !i ? "" : i + 1 == st_n_event_kinds ? last_sep : sep;

		o += (size_t)snprintf(buf + o, len - o, "%s%s", before, st_event_kinds[i].name);
	}
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* the names of the backends and of the summary's groupings, both ways */
#include <string.h>
#include "cli_int.h"

static const char *const backend_names[ST_BACKEND_MAX] = {
	[ST_BACKEND_FENTRY] = "fentry",
	[ST_BACKEND_KPROBE] = "kprobe",
	[ST_BACKEND_TRACEPOINT] = "tracepoint",
};

const char *st_backend_name(int backend)
{
	if (backend >= 0 && backend < ST_BACKEND_MAX)
		return backend_names[backend];
	return "auto";
}

static const char *const by_names[] = { "pid", "comm", "unit", "container", "cgroup" };

const char *st_by_name(enum st_by by)
{
	return by_names[by];
}

int st_by_parse(const char *s, enum st_by *by)
{
	for (size_t i = 0; i < sizeof(by_names) / sizeof(by_names[0]); i++)
		if (!strcmp(s, by_names[i])) {
			*by = (enum st_by)i;
			return 0;
		}
	return -1;
}

int st_backend_parse(const char *s, int *out, char *err, size_t errlen)
{
	char q[ST_QUOTE_LEN];

	if (!strcmp(s, "auto")) {
		*out = ST_BACKEND_AUTO;
		return 0;
	}
	for (int b = 0; b < ST_BACKEND_MAX; b++) {
		if (!strcmp(s, backend_names[b])) {
			*out = b;
			return 0;
		}
	}
	snprintf(err, errlen, "unknown backend '%s': expected fentry, kprobe, tracepoint or auto",
		 st_quote(s, strlen(s), q, sizeof(q)));
	return -1;
}

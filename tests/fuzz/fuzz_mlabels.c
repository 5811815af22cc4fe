// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: --metrics-labels on strangers' names. The input is a process
 * name (its first 16 bytes) and a cgroup path (the rest), as anyone allowed
 * to name a process or make a cgroup chooses them; the series is keyed by all
 * four labels, and every sample line of the page must keep to the label
 * syntax: name{key="value",...} where a value holds printable ASCII only, with
 * a backslash only before a backslash or a double quote.
 */
#include <stdlib.h>
#include <string.h>
#include "cgroup_parse.h"
#include "metrics.h"
#include "metrics_text.h"

/* one sample line (no newline in it) keeps to the syntax: 1, or 0 */
static int well_formed(const char *l, const char *end)
{
	const char *p = memchr(l, '{', (size_t)(end - l));

	if (!p)
		return 1;	/* no labels */
	for (p++;;) {
		while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '_'))
			p++;
		if (end - p < 2 || p[0] != '=' || p[1] != '"')
			return 0;
		for (p += 2; p < end && *p != '"'; p++) {
			if (*p < 0x20 || *p > 0x7e)
				return 0;
			if (*p == '\\' && (++p == end || (*p != '\\' && *p != '"')))
				return 0;
		}
		if (end - p < 2)
			return 0;
		if (p[1] == '}')
			return 1;
		if (p[1] != ',')
			return 0;
		p += 2;
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct st_event e = { .type = ST_EV_CONNECT };
	struct st_mself self = { .version = "1", .backend = "fuzz" };
	struct st_cg_ident id;
	struct st_metrics m;
	struct st_mbuf b = {};
	char *path;

	if (size < ST_COMM_LEN || size - ST_COMM_LEN > ST_CG_PATH_MAX)
		return 0;
	memcpy(e.comm, data, ST_COMM_LEN);
	path = malloc(size - ST_COMM_LEN + 1);
	if (!path || st_metrics_init(&m, 4, ST_ML_DEFAULT | ST_ML_CGROUP))
		abort();
	memcpy(path, data + ST_COMM_LEN, size - ST_COMM_LEN);
	path[size - ST_COMM_LEN] = '\0';
	st_cg_parse(path, size - ST_COMM_LEN, &id);
	st_metrics_event(&m, &e, &id);
	st_metrics_event(&m, &e, &id);
	if (st_metrics_series(&m, (const char *)data, &id)->connects != 2)
		abort();	/* the same key twice is one series */
	st_metrics_text(&b, &m, &self);
	if (b.oom)
		abort();
	for (char *l = b.p, *nl; l < b.p + b.len; l = nl + 1) {
		nl = memchr(l, '\n', b.len - (size_t)(l - b.p));
		if (!nl || (*l != '#' && !well_formed(l, nl)))
			abort();
	}
	free(b.p);
	st_metrics_free(&m);
	free(path);
	return 0;
}

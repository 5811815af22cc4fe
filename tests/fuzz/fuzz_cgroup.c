// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: the cgroup path parser fed arbitrary paths, as anyone allowed to
 * make a cgroup names it. What it finds must be well formed (an id of 12 to
 * 64 hex digits, a pod UID of 36 with dashes, a unit within bounds), and the
 * event's JSON line with that path must parse with the strict parser and give
 * the path's bytes back.
 */
#include <string.h>
#include "cgroup_names.h"
#include "printed.h"

static void check_ident(const struct st_cg_ident *id)
{
	size_t n = strnlen(id->container, sizeof(id->container));

	if (n == sizeof(id->container) || (n && (n < 12 || n > 64)) ||
	    strspn(id->container, "0123456789abcdef") != n)
		abort();
	n = strnlen(id->pod, sizeof(id->pod));
	if (n && (n != 36 || id->pod[8] != '-' || id->pod[13] != '-' || id->pod[18] != '-' ||
		  id->pod[23] != '-' || strspn(id->pod, "0123456789abcdef-") != 36))
		abort();
	if (strnlen(id->unit, sizeof(id->unit)) == sizeof(id->unit))
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct jl_object o;
	struct st_cg_name cg = { .id = 2, .known = true };
	struct st_event e = { .type = ST_EV_CONNECT, .proto = 6, .family = 4 };
	struct st_enriched x = { .cg = &cg };

	if (size > ST_CG_PATH_MAX)
		return 0;
	cg.path = malloc(size + 1);
	memcpy(cg.path, data, size);
	cg.path[size] = '\0';
	cg.len = size;
	st_cg_parse(cg.path, cg.len, &cg.ident);
	check_ident(&cg.ident);

	printed_json(&e, 0, &x, &o);
	const struct jl_member *p = jl_get(&o, "cgroup_path");
	size_t n = strnlen(cg.path, size);

	if (!p || p->len != n || memcmp(p->str, cg.path, n) || p->wide)
		abort();	/* the path's bytes, exactly */
	printed_text(&e, &x);
	free(cg.path);
	return 0;
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A strict parser for one JSON line holding one flat object: string keys,
 * values that are strings, numbers, true/false/null, arrays of those, or
 * objects of those (the summary's existing_states; kept as their text).
 * Used by the tests to check socktrace's --json output, so it rejects what a
 * strict parser rejects: trailing commas, bad escapes, raw control bytes,
 * duplicate keys, anything after the object.
 */
#ifndef ST_JSONL_H
#define ST_JSONL_H

#include <stddef.h>

#define JL_MAX_MEMBERS	48
#define JL_MAX_STR	4160	/* a cgroup path (ST_CG_PATH_MAX) fits */

enum jl_type { JL_STR, JL_NUM, JL_BOOL, JL_NULL, JL_ARRAY, JL_OBJECT };

struct jl_member {
	char key[64];
	enum jl_type type;
	/* JL_STR: decoded code points, each <= U+00FF stored as one byte (len says
	 * how many); a code point above U+00FF is stored as '?' and sets wide */
	char str[JL_MAX_STR];
	size_t len;
	int wide;
	double num;		/* JL_NUM */
	unsigned long long u;	/* JL_NUM when it is a non-negative integer */
	int is_uint;
	char raw[JL_MAX_STR];	/* JL_ARRAY, JL_OBJECT: its text as written */
};

struct jl_object {
	struct jl_member m[JL_MAX_MEMBERS];
	int n;
};

/* 0, or -1 with a reason in err */
int jl_parse(const char *line, struct jl_object *o, char *err, size_t errlen);
const struct jl_member *jl_get(const struct jl_object *o, const char *key);

#endif

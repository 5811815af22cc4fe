/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one JSON writer: one line per top-level object, which may hold nested
 * objects and arrays; members in the order written, no blanks.
 * Strings are written byte for byte as code points U+0000-U+00FF: printable
 * ASCII as itself (with \" and \\), everything else as \u00HH. Decoding each
 * code point back to a byte gives the original bytes exactly.
 * Inside an array, key is NULL.
 */
#ifndef ST_JSON_H
#define ST_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define ST_JSON_DEPTH	8

struct st_json {
	FILE *f;
	int depth;			/* open objects and arrays */
	int n[ST_JSON_DEPTH];		/* members written in each */
	char close[ST_JSON_DEPTH];	/* '}' or ']' */
	size_t len;			/* bytes of the line in buf */
	char buf[8192];			/* the line, written out whole by st_json_end() */
};

void st_json_begin(struct st_json *j, FILE *f);	/* opens the line's object */
void st_json_object(struct st_json *j, const char *key);
void st_json_array(struct st_json *j, const char *key);
void st_json_close(struct st_json *j);		/* the innermost object or array */
void st_json_str(struct st_json *j, const char *key, const char *s, size_t n);
void st_json_u64(struct st_json *j, const char *key, unsigned long long v);
void st_json_bool(struct st_json *j, const char *key, bool v);
void st_json_null(struct st_json *j, const char *key);
void st_json_end(struct st_json *j);		/* closes all, writes the line and '\n' */

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one JSON writer: one line per top-level object, which may hold nested
 * objects and arrays; members in the order written, no blanks.
 * Strings are written byte for byte as code points U+0000-U+00FF: printable
 * ASCII as itself (with \" and \\), everything else as \u00HH. Decoding each
 * code point back to a byte gives the original bytes exactly.
 * Inside an array, key is NULL.
 *
 * Bounded, never silently: a string longer than ST_JSON_STR_MAX is cut there,
 * and a member that would not fit in the line's buffer is left out whole
 * (an object or array with all it holds); the line stays valid JSON and
 * ends with "cut":N, the number of cuts.
 */
#ifndef ST_JSON_H
#define ST_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define ST_JSON_DEPTH	8
#define ST_JSON_STR_MAX	4096	/* bytes of a string written; a longer one is cut */

struct st_json {
	FILE *f;
	int depth;			/* open objects and arrays */
	int n[ST_JSON_DEPTH];		/* members written in each */
	char close[ST_JSON_DEPTH];	/* '}' or ']' */
	unsigned cut;			/* members left out and strings cut */
	unsigned dead;			/* open levels left out: their members are too */
	unsigned over;			/* levels opened past ST_JSON_DEPTH */
	size_t len;			/* bytes of the line in buf */
	char buf[32768];		/* the line, written out whole by st_json_end() */
};

void st_json_begin(struct st_json *j, FILE *f);	/* opens the line's object */
void st_json_close(struct st_json *j);		/* the innermost object or array */
void st_json_end(struct st_json *j);		/* closes all, writes the line and '\n' */

/*
 * The members. Each takes its key's length from the wrapper below, where the
 * key is seen: for a literal the compiler counts it, no strlen() per member.
 */
void st_json_object_k(struct st_json *j, const char *key, size_t klen);
void st_json_array_k(struct st_json *j, const char *key, size_t klen);
void st_json_str_k(struct st_json *j, const char *key, size_t klen, const char *s, size_t n);
void st_json_u64_k(struct st_json *j, const char *key, size_t klen, unsigned long long v);
void st_json_bool_k(struct st_json *j, const char *key, size_t klen, bool v);
void st_json_null_k(struct st_json *j, const char *key, size_t klen);

#define ST_JSON_KLEN(key)	((key) ? __builtin_strlen(key) : 0)

static inline void st_json_object(struct st_json *j, const char *key)
{
	st_json_object_k(j, key, ST_JSON_KLEN(key));
}

static inline void st_json_array(struct st_json *j, const char *key)
{
	st_json_array_k(j, key, ST_JSON_KLEN(key));
}

static inline void st_json_str(struct st_json *j, const char *key, const char *s, size_t n)
{
	st_json_str_k(j, key, ST_JSON_KLEN(key), s, n);
}

static inline void st_json_u64(struct st_json *j, const char *key, unsigned long long v)
{
	st_json_u64_k(j, key, ST_JSON_KLEN(key), v);
}

static inline void st_json_bool(struct st_json *j, const char *key, bool v)
{
	st_json_bool_k(j, key, ST_JSON_KLEN(key), v);
}

static inline void st_json_null(struct st_json *j, const char *key)
{
	st_json_null_k(j, key, ST_JSON_KLEN(key));
}

#endif

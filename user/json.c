// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "escape.h"
#include "json.h"

/* the line is built in j->buf and written with one fwrite at the end */
static void put(struct st_json *j, const char *s, size_t n)
{
	if (j->len + n >= sizeof(j->buf))
		n = sizeof(j->buf) - 1 - j->len;
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

/* the comma before a member, and its key outside arrays */
static void member(struct st_json *j, const char *key)
{
	if (j->depth && j->n[j->depth - 1]++)
		put(j, ",", 1);
	if (key) {
		put(j, "\"", 1);
		put(j, key, strlen(key));
		put(j, "\":", 2);
	}
}

static void nest(struct st_json *j, const char *key, char open, char close)
{
	member(j, key);
	put(j, &open, 1);
	if (j->depth < ST_JSON_DEPTH) {
		j->close[j->depth] = close;
		j->n[j->depth++] = 0;
	}
}

void st_json_begin(struct st_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->len = 0;
	nest(j, NULL, '{', '}');
}

void st_json_object(struct st_json *j, const char *key)
{
	nest(j, key, '{', '}');
}

void st_json_array(struct st_json *j, const char *key)
{
	nest(j, key, '[', ']');
}

void st_json_close(struct st_json *j)
{
	if (j->depth) {
		j->depth--;
		put(j, &j->close[j->depth], 1);
	}
}

void st_json_str(struct st_json *j, const char *key, const char *s, size_t n)
{
	char esc[ST_ESC_MAX(256)];

	member(j, key);
	put(j, "\"", 1);
	n = strnlen(s, n < ST_JSON_STR_MAX ? n : ST_JSON_STR_MAX);	/* a NUL ends it */
	/* in pieces: each byte is escaped on its own */
	for (size_t i = 0; i < n; i += 256) {
		st_escape(esc, sizeof(esc), s + i, n - i < 256 ? n - i : 256, ST_ESC_JSON);
		put(j, esc, strlen(esc));
	}
	put(j, "\"", 1);
}

void st_json_u64(struct st_json *j, const char *key, unsigned long long v)
{
	char digits[24];
	size_t i = sizeof(digits);

	member(j, key);
	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(j, digits + i, sizeof(digits) - i);
}

void st_json_bool(struct st_json *j, const char *key, bool v)
{
	member(j, key);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void st_json_null(struct st_json *j, const char *key)
{
	member(j, key);
	put(j, "null", 4);
}

void st_json_end(struct st_json *j)
{
	while (j->depth)
		st_json_close(j);
	put(j, "\n", 1);
	fwrite(j->buf, 1, j->len, j->f);
}

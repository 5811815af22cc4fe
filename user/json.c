// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "escape.h"
#include "json.h"

/*
 * The line is built in j->buf and written with one fwrite at the end. A
 * member that would not fit is left out whole and counted in j->cut, so the
 * line stays valid JSON: RESERVE bytes are always kept for the closing
 * brackets (one a level), the "cut" member and the newline.
 */
#define RESERVE		(ST_JSON_DEPTH + 32)

static void put(struct st_json *j, const char *s, size_t n)
{
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

/* room for a member of n bytes (its comma and key included)? else counted */
static int room(struct st_json *j, size_t n)
{
	if (!j->dead && j->len + n + RESERVE <= sizeof(j->buf))
		return 1;
	j->cut++;
	return 0;
}

/* the bytes a member's comma and key take */
static size_t key_len(const struct st_json *j, const char *key)
{
	return (j->depth && j->n[j->depth - 1] ? 1 : 0) + (key ? strlen(key) + 3 : 0);
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
	if (j->depth >= ST_JSON_DEPTH) {	/* a writer's bug: kept valid, counted */
		j->cut++;
		j->over++;
		return;
	}
	if (!room(j, key_len(j, key) + 1)) {
		j->close[j->depth] = 0;	/* left out with all it holds */
		j->n[j->depth++] = 0;
		j->dead++;
		return;
	}
	member(j, key);
	put(j, &open, 1);
	j->close[j->depth] = close;
	j->n[j->depth++] = 0;
}

void st_json_begin(struct st_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->len = 0;
	j->cut = 0;
	j->dead = 0;
	j->over = 0;
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
	if (j->over) {		/* a level past ST_JSON_DEPTH, never opened */
		j->over--;
		return;
	}
	if (!j->depth)
		return;
	j->depth--;
	if (j->close[j->depth])
		put(j, &j->close[j->depth], 1);
	else
		j->dead--;
}

void st_json_str(struct st_json *j, const char *key, const char *s, size_t n)
{
	char esc[ST_ESC_MAX(ST_JSON_STR_MAX)];
	size_t len;

	n = strnlen(s, n);	/* a NUL ends it */
	if (n > ST_JSON_STR_MAX) {
		n = ST_JSON_STR_MAX;	/* the string is cut, the line says so */
		j->cut++;
	}
	st_escape(esc, sizeof(esc), s, n, ST_ESC_JSON);
	len = strlen(esc);
	if (!room(j, key_len(j, key) + len + 2))
		return;
	member(j, key);
	put(j, "\"", 1);
	put(j, esc, len);
	put(j, "\"", 1);
}

void st_json_u64(struct st_json *j, const char *key, unsigned long long v)
{
	char digits[24];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (!room(j, key_len(j, key) + sizeof(digits) - i))
		return;
	member(j, key);
	put(j, digits + i, sizeof(digits) - i);
}

void st_json_bool(struct st_json *j, const char *key, bool v)
{
	if (!room(j, key_len(j, key) + 5))
		return;
	member(j, key);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void st_json_null(struct st_json *j, const char *key)
{
	if (!room(j, key_len(j, key) + 4))
		return;
	member(j, key);
	put(j, "null", 4);
}

void st_json_end(struct st_json *j)
{
	char digits[16];
	int n;

	j->over = 0;
	while (j->depth > 1)
		st_json_close(j);
	if (j->cut) {	/* ,"cut":N fits: RESERVE kept room for it */
		n = snprintf(digits, sizeof(digits), "%u", j->cut);
		member(j, "cut");
		put(j, digits, (size_t)n);
	}
	st_json_close(j);
	put(j, "\n", 1);
	fwrite(j->buf, 1, j->len, j->f);
}

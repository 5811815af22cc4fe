// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
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

/* n more bytes fit, the reserve kept? */
static bool fits(const struct st_json *j, size_t n)
{
	return !j->dead && j->len + n + RESERVE <= sizeof(j->buf);
}

/* room for a member of n bytes (its comma and key included)? else counted */
static int room(struct st_json *j, size_t n)
{
	if (fits(j, n))
		return 1;
	j->cut++;
	return 0;
}

/* the bytes a member's comma and key take */
static size_t key_len(const struct st_json *j, const char *key, size_t klen)
{
	return (j->depth && j->n[j->depth - 1] ? 1 : 0) + (key ? klen + 3 : 0);
}

/*
 * n bytes, most often a key's few: in two overlapping moves of a fixed size
 * each (no call to memcpy() for a handful of bytes)
 */
static void copy_short(char *p, const char *s, size_t n)
{
	if (n >= 8 && n <= 16) {
		memcpy(p, s, 8);
		memcpy(p + n - 8, s + n - 8, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(p, s, 4);
		memcpy(p + n - 4, s + n - 4, 4);
	} else if (n < 4) {
		for (size_t i = 0; i < n; i++)
			p[i] = s[i];
	} else {
		memcpy(p, s, n);
	}
}

/* the comma before a member, and its key outside arrays */
static inline __attribute__((always_inline)) void member(struct st_json *j, const char *key,
							  size_t klen)
{
	char *p = j->buf + j->len;

	if (j->depth && j->n[j->depth - 1]++)
		*p++ = ',';
	if (key) {
		*p++ = '"';
		copy_short(p, key, klen);
		p += klen;
		*p++ = '"';
		*p++ = ':';
	}
	j->len = (size_t)(p - j->buf);
}

static void nest(struct st_json *j, const char *key, size_t klen, char open, char close)
{
	if (j->depth >= ST_JSON_DEPTH) {	/* a writer's bug: kept valid, counted */
		j->cut++;
		j->over++;
		return;
	}
	if (!room(j, key_len(j, key, klen) + 1)) {
		j->close[j->depth] = 0;	/* left out with all it holds */
		j->n[j->depth++] = 0;
		j->dead++;
		return;
	}
	member(j, key, klen);
	j->buf[j->len++] = open;
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
	nest(j, NULL, 0, '{', '}');
}

void st_json_object_k(struct st_json *j, const char *key, size_t klen)
{
	nest(j, key, klen, '{', '}');
}

void st_json_array_k(struct st_json *j, const char *key, size_t klen)
{
	nest(j, key, klen, '[', ']');
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
		j->buf[j->len++] = j->close[j->depth];
	else
		j->dead--;
}

/* a string whose escaped form may not fit: escaped aside, measured, then written or left out */
static void __attribute__((noinline)) str_tight(struct st_json *j, const char *key, size_t klen,
						const char *s, size_t n)
{
	char esc[ST_ESC_MAX(ST_JSON_STR_MAX)];
	size_t len = st_escape(esc, sizeof(esc), s, n, ST_ESC_JSON);

	if (!room(j, key_len(j, key, klen) + len + 2))
		return;
	member(j, key, klen);
	j->buf[j->len++] = '"';
	put(j, esc, len);
	j->buf[j->len++] = '"';
}

void st_json_str_k(struct st_json *j, const char *key, size_t klen, const char *s, size_t n)
{
	/* a NUL ends it: st_escape() stops there, so it is looked for here only for the cut */
	if (n > ST_JSON_STR_MAX) {
		if (strnlen(s, n) > ST_JSON_STR_MAX)
			j->cut++;	/* the string is cut, the line says so */
		n = ST_JSON_STR_MAX;
	}
	/* escaped straight into the line when even every byte escaped would fit */
	if (!fits(j, key_len(j, key, klen) + ST_ESC_MAX(n) + 2)) {
		str_tight(j, key, klen, s, n);
		return;
	}
	member(j, key, klen);
	j->buf[j->len++] = '"';
	j->len += st_escape(j->buf + j->len, ST_ESC_MAX(n), s, n, ST_ESC_JSON);
	j->buf[j->len++] = '"';
}

/* "00" to "99" */
static const char two_digits[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* the eight digits of v < 10^8 at p, leading zeros kept: four pairs that do not wait on each other */
static void eight_digits(char *p, unsigned v)
{
	unsigned hi = v / 10000, lo = v % 10000;

	memcpy(p, two_digits + 2 * (hi / 100), 2);
	memcpy(p + 2, two_digits + 2 * (hi % 100), 2);
	memcpy(p + 4, two_digits + 2 * (lo / 100), 2);
	memcpy(p + 6, two_digits + 2 * (lo % 100), 2);
}

/* how many decimal digits v has: from its bit length (log10(2) ~ 1233/4096), one compare to correct */
static size_t digit_count(unsigned long long v)
{
	static const unsigned long long pow10[20] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
		100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
		10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
		100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL,
	};
	unsigned long long w = v | 1;	/* 0 has one digit; no power of ten past 1 is odd */
	size_t t = ((size_t)(64 - __builtin_clzll(w)) * 1233) >> 12;

	return t + (w >= pow10[t]);
}

/* v's decimal digits, the last one just before end */
static void decimal(char *end, unsigned long long v)
{
	unsigned w;

	while (v >= 100000000) {	/* the last eight digits, then the rest */
		end -= 8;
		eight_digits(end, (unsigned)(v % 100000000));
		v /= 100000000;
	}
	w = (unsigned)v;
	while (w >= 100) {	/* two digits a division */
		end -= 2;
		memcpy(end, two_digits + 2 * (w % 100), 2);
		w /= 100;
	}
	if (w >= 10)
		memcpy(end - 2, two_digits + 2 * w, 2);
	else
		end[-1] = (char)('0' + w);
}

/* v's digits at the end of the line (room checked) */
static void put_decimal(struct st_json *j, unsigned long long v, size_t n)
{
	j->len += n;
	decimal(j->buf + j->len, v);
}

void st_json_u64_k(struct st_json *j, const char *key, size_t klen, unsigned long long v)
{
	size_t n = digit_count(v);

	if (!room(j, key_len(j, key, klen) + n))
		return;
	member(j, key, klen);
	put_decimal(j, v, n);
}

void st_json_bool_k(struct st_json *j, const char *key, size_t klen, bool v)
{
	if (!room(j, key_len(j, key, klen) + 5))
		return;
	member(j, key, klen);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void st_json_null_k(struct st_json *j, const char *key, size_t klen)
{
	if (!room(j, key_len(j, key, klen) + 4))
		return;
	member(j, key, klen);
	put(j, "null", 4);
}

void st_json_end(struct st_json *j)
{
	j->over = 0;
	while (j->depth > 1)
		st_json_close(j);
	if (j->cut) {	/* ,"cut":N fits: RESERVE kept room for it */
		member(j, "cut", 3);
		put_decimal(j, j->cut, digit_count(j->cut));
	}
	st_json_close(j);
	j->buf[j->len++] = '\n';
	/* every writer is on the one thread: stdio's lock is not needed */
	fwrite_unlocked(j->buf, 1, j->len, j->f);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: the JSON writer's nesting, byte for byte. */
#define _GNU_SOURCE
#include <stdlib.h>
#include "json.h"
#include "unit.h"

void test_json(void)
{
	size_t len = 0;
	char *mem = NULL;
	FILE *f = open_memstream(&mem, &len);
	struct st_json j;

	st_json_begin(&j, f);
	st_json_u64(&j, "a", 0);
	st_json_array(&j, "b");
	st_json_u64(&j, NULL, 1);
	st_json_str(&j, NULL, "x\"", 2);
	st_json_object(&j, NULL);
	st_json_bool(&j, "c", true);
	st_json_close(&j);
	st_json_close(&j);
	st_json_array(&j, "e");
	st_json_close(&j);
	st_json_object(&j, "o");
	st_json_bool(&j, "f", false);
	st_json_end(&j);	/* closes "o" too */
	fclose(f);
	CHECK_STR(mem, "{\"a\":0,\"b\":[1,\"x\\\"\",{\"c\":true}],\"e\":[],\"o\":{\"f\":false}}\n");
	free(mem);
}

/* one line through the writer, into a string the caller frees */
static char *line_of(void (*write)(struct st_json *j))
{
	size_t len = 0;
	char *mem = NULL;
	FILE *f = open_memstream(&mem, &len);
	static struct st_json j;	/* 32 KiB: not on the test's stack */

	st_json_begin(&j, f);
	write(&j);
	st_json_end(&j);
	fclose(f);
	return mem;
}

static char big[40000];

static void long_string(struct st_json *j)
{
	st_json_u64(j, "a", 1);
	st_json_str(j, "s", big, ST_JSON_STR_MAX + 10);	/* cut at the limit */
}

static void too_much(struct st_json *j)
{
	/* 9 strings of 4096 escaped bytes: 7 fit in 32 KiB, the rest is left out */
	st_json_array(j, "list");
	for (int i = 0; i < 9; i++)
		st_json_str(j, NULL, big, ST_JSON_STR_MAX);
	st_json_close(j);
	for (int i = 0; i < 2000; i++)	/* 12,000 bytes: the rest of the room, and more */
		st_json_u64(j, "k", 1);
	st_json_object(j, "o");	/* no room left: left out with its member */
	st_json_u64(j, "x", 1);
}

static void too_deep(struct st_json *j)
{
	for (int i = 0; i < ST_JSON_DEPTH + 2; i++)
		st_json_array(j, i ? NULL : "d");
	st_json_u64(j, NULL, 7);
}

void test_json_bounds(void)
{
	char *s;
	size_t n;

	memset(big, 'x', sizeof(big));
	s = line_of(long_string);
	n = strlen(s);
	CHECK(n == strlen("{\"a\":1,\"s\":\"\",\"cut\":1}\n") + ST_JSON_STR_MAX,
	      "long string: %zu bytes", n);
	CHECK(!strcmp(s + n - 11, "\",\"cut\":1}\n"), "long string ends: %s", s + n - 11);
	free(s);
	s = line_of(too_much);
	n = strlen(s);
	CHECK(n < sizeof(((struct st_json *)0)->buf), "too much: %zu bytes", n);
	{
		unsigned ks = 0, cut = 0;

		for (const char *p = s; (p = strstr(p, "\"k\":1")); p++)
			ks++;
		CHECK(sscanf(strstr(s, "\"cut\":") ? strstr(s, "\"cut\":") : "", "\"cut\":%u}", &cut) == 1 &&
		      cut == 2 + (2000 - ks) + 2 && ks > 0 && ks < 2000 && !strstr(s, "\"o\""),
		      "too much: 2 strings, %u of 2000 members, the object and its member: cut %u",
		      2000 - ks, cut);
	}
	free(s);
	s = line_of(too_deep);
	CHECK_STR(s, "{\"d\":[[[[[[[7]]]]]]],\"cut\":3}\n");
	free(s);
}

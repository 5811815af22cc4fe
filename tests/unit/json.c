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

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: the event decoder fed arbitrary bytes, as a ring buffer record
 * could hold anything in its name. The JSON line must parse with the strict
 * parser and give the name's bytes back; the text line must hold no control
 * byte and nothing outside ASCII.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "../jsonl.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct st_event e;
	struct jl_object o;
	char *buf = NULL, err[160];
	size_t len = 0;
	FILE *f;

	if (size < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));

	f = open_memstream(&buf, &len);
	st_print_json(f, &e, NULL, (long long)(size * 7919));
	fclose(f);
	if (jl_parse(buf, &o, err, sizeof(err))) {
		fprintf(stderr, "not JSON (%s): %s\n", err, buf);
		abort();
	}
	const struct jl_member *comm = jl_get(&o, "comm");
	size_t n = strnlen(e.comm, ST_COMM_LEN);

	if (!comm || comm->len != n || memcmp(comm->str, e.comm, n) || comm->wide)
		abort();	/* the name's bytes, exactly */
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	st_print_text(f, &e, NULL, 0);
	fclose(f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if ((c < 0x20 && c != '\n') || c >= 0x7f)
			abort();
	}
	free(buf);
	return 0;
}

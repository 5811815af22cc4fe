/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The fuzz targets' checks of an event's two printed lines (format.h). */
#ifndef ST_FUZZ_PRINTED_H
#define ST_FUZZ_PRINTED_H

#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include "format.h"
#include "../jsonl.h"

/* the JSON line of e must parse with the strict parser: into o */
static void printed_json(const struct st_event *e, long long off, const struct st_enriched *x,
			 struct jl_object *o)
{
	char *buf = NULL, err[160];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	st_print_json(f, e, off, x);
	fclose(f);
	if (jl_parse(buf, o, err, sizeof(err))) {
		fprintf(stderr, "not JSON (%s): %s\n", err, buf);
		abort();
	}
	free(buf);
}

/* the text line of e must hold no control byte and nothing outside ASCII */
static void printed_text(const struct st_event *e, const struct st_enriched *x)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	st_print_text(f, e, 0, x);
	fclose(f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if ((c < 0x20 && c != '\n') || c >= 0x7f)
			abort();
	}
	free(buf);
}

#endif

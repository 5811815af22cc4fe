// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: the event decoder fed arbitrary bytes, as a ring buffer record
 * could hold anything in its name. The JSON line must parse with the strict
 * parser and give the name's bytes back; the text line must hold no control
 * byte and nothing outside ASCII.
 */
#include <string.h>
#include "printed.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct jl_object o;
	struct st_event e;

	if (size < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));

	printed_json(&e, (long long)(size * 7919), NULL, &o);
	const struct jl_member *comm = jl_get(&o, "comm");
	size_t n = strnlen(e.comm, ST_COMM_LEN);

	if (!comm || comm->len != n || memcmp(comm->str, e.comm, n) || comm->wide)
		abort();	/* the name's bytes, exactly */
	printed_text(&e, NULL);
	return 0;
}

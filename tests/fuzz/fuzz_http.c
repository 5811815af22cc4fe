// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: the HTTP request parser of --metrics (user/http.c), on any
 * bytes. A whole request is within the bytes given and answered 200, 404 or
 * 405; a bad one 400; any prefix of a whole request is never bad; and the
 * answer for a prefix never depends on bytes after it (the input is copied
 * to a buffer of exactly its size, so ASan sees any read past it).
 */
#include <stdlib.h>
#include <string.h>
#include "http.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct st_http_req req, pre;
	enum st_http_result r;

	memcpy(buf, data, size);
	r = st_http_parse(buf, size, &req);
	switch (r) {
	case ST_HTTP_DONE:
		if (req.len == 0 || req.len > size)
			abort();
		if (req.status != 200 && req.status != 404 && req.status != 405)
			abort();
		if (req.status == 200 && req.method == ST_HTTP_OTHER)
			abort();
		/* the same answer from the request alone, and MORE from a part of it */
		if (st_http_parse(buf, req.len, &pre) != ST_HTTP_DONE || pre.status != req.status)
			abort();
		if (st_http_parse(buf, req.len - 1, &pre) != ST_HTTP_MORE)
			abort();
		break;
	case ST_HTTP_BAD:
		if (req.status != 400)
			abort();
		break;
	case ST_HTTP_MORE:
		break;
	default:
		abort();
	}
	free(buf);
	return 0;
}

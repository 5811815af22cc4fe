/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The HTTP/1.x request parser of --metrics: pure (no I/O, no allocation),
 * strict, and bounded by the caller's buffer. It reads a request line and
 * headers up to the empty line and decides the answer; a body is never read
 * (the server answers and closes).
 *   request-line = method SP target SP "HTTP/1." DIGIT CRLF (a bare LF too)
 *   method       = 1-16 token characters (RFC 9110)
 *   target       = "/" followed by visible ASCII, at most ST_HTTP_TARGET_MAX bytes
 *   header       = name ":" value CRLF; name token characters, value visible
 *                  ASCII, blanks and tabs
 */
#ifndef ST_HTTP_H
#define ST_HTTP_H

#include <stddef.h>

#define ST_HTTP_TARGET_MAX	1024

enum st_http_result {
	ST_HTTP_MORE = 0,	/* no complete request yet, nothing wrong so far */
	ST_HTTP_DONE = 1,	/* a whole request: see status */
	ST_HTTP_BAD = -1,	/* not HTTP: answer 400 and close */
};

enum st_http_method { ST_HTTP_GET, ST_HTTP_HEAD, ST_HTTP_OTHER };

struct st_http_req {
	enum st_http_method method;
	int status;		/* what to answer: 200, 404 or 405 (DONE); 400 (BAD) */
	size_t len;		/* bytes of the request line and headers (DONE) */
};

/* Parse buf[0..len) (not NUL-terminated; any bytes). */
enum st_http_result st_http_parse(const char *buf, size_t len, struct st_http_req *req);

#endif

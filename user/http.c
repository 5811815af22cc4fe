// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "http.h"

/* RFC 9110 tchar */
static int is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int is_vchar(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

/* the end of the line starting at p: the index of its LF, or -1 when not there yet */
static long line_end(const char *buf, size_t p, size_t len)
{
	const char *lf = memchr(buf + p, '\n', len - p);

	return lf ? lf - buf : -1;
}

/* [s, e) without a CR before the LF at e: 0, or -1 when a CR stands elsewhere */
static int strip_cr(const char *buf, size_t s, size_t *e)
{
	if (*e > s && buf[*e - 1] == '\r')
		(*e)--;
	return memchr(buf + s, '\r', *e - s) ? -1 : 0;
}

static int request_line(const char *b, size_t s, size_t e, struct st_http_req *req)
{
	size_t m = s, t, v;

	while (m < e && is_tchar((unsigned char)b[m]))
		m++;
	if (m == s || m - s > 16 || m >= e || b[m] != ' ')
		return -1;
	t = m + 1;
	for (v = t; v < e && is_vchar((unsigned char)b[v]); v++)
		;
	if (v == t || b[t] != '/' || v - t > ST_HTTP_TARGET_MAX || v >= e || b[v] != ' ')
		return -1;
	v++;
	if (e - v != 8 || memcmp(b + v, "HTTP/1.", 7) || b[v + 7] < '0' || b[v + 7] > '9')
		return -1;
	if (m - s == 3 && !memcmp(b + s, "GET", 3))
		req->method = ST_HTTP_GET;
	else if (m - s == 4 && !memcmp(b + s, "HEAD", 4))
		req->method = ST_HTTP_HEAD;
	else
		req->method = ST_HTTP_OTHER;
	/* the path: up to a query */
	size_t pe = t;
	while (pe < v - 1 && b[pe] != '?')
		pe++;
	int metrics = pe - t == 8 && !memcmp(b + t, "/metrics", 8);
	req->status = !metrics ? 404 : req->method == ST_HTTP_OTHER ? 405 : 200;
	return 0;
}

static int header_line(const char *b, size_t s, size_t e)
{
	size_t n = s;

	while (n < e && is_tchar((unsigned char)b[n]))
		n++;
	if (n == s || n >= e || b[n] != ':')
		return -1;
	for (n++; n < e; n++)
		if (!is_vchar((unsigned char)b[n]) && b[n] != ' ' && b[n] != '\t')
			return -1;
	return 0;
}

static enum st_http_result bad(struct st_http_req *req)
{
	req->status = 400;
	return ST_HTTP_BAD;
}

enum st_http_result st_http_parse(const char *buf, size_t len, struct st_http_req *req)
{
	size_t p = 0;
	int first = 1;

	memset(req, 0, sizeof(*req));
	req->status = 400;
	for (;;) {
		long lf = line_end(buf, p, len);
		size_t e;

		if (lf < 0) {
			/* a partial line must not already be wrong: a control byte, say */
			for (size_t i = p; i < len; i++) {
				unsigned char c = (unsigned char)buf[i];

				if ((c < 0x20 && c != '\t' && c != '\r') || c >= 0x7f ||
				    (c == '\r' && i + 1 < len))
					return bad(req);
			}
			return ST_HTTP_MORE;
		}
		e = (size_t)lf;
		if (strip_cr(buf, p, &e))
			return bad(req);
		if (first) {
			if (request_line(buf, p, e, req))
				return bad(req);
			first = 0;
		} else if (e == p) {
			req->len = (size_t)lf + 1;
			return ST_HTTP_DONE;
		} else if (header_line(buf, p, e)) {
			return bad(req);
		}
		p = (size_t)lf + 1;
	}
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The HTTP side of --metrics, in the one event loop: a non-blocking listening
 * socket and at most ST_HTTP_CLIENTS clients, each with a request of at most
 * ST_HTTP_REQ_MAX bytes and ST_HTTP_TIME_MS to be read and answered (a sweep
 * timer closes the late ones). Past the limit a new client is closed at once.
 * Every socket is non-blocking: a slow or hostile client costs a few short
 * reads and writes, never a wait, so tracing is never delayed by it. One
 * request per connection ("Connection: close").
 */
#ifndef ST_HTTP_SERVER_H
#define ST_HTTP_SERVER_H

#include "loop.h"
#include "metrics_text.h"
#include "parse.h"

#define ST_HTTP_CLIENTS		16
#define ST_HTTP_REQ_MAX		4096
#define ST_HTTP_TIME_MS		5000

struct st_http_stats {
	unsigned long long requests;	/* answered, any status */
	unsigned long long refused;	/* closed at once: ST_HTTP_CLIENTS were open */
	unsigned long long timeouts;	/* closed past ST_HTTP_TIME_MS */
	unsigned long long bad;		/* answered 400 or 431 */
};

/* the page: appended to b for each GET or HEAD of /metrics */
typedef void (*st_http_page_fn)(void *ctx, struct st_mbuf *b);

struct st_http_server;

/* Listen on a, serve page. NULL with a one-line reason in why. */
struct st_http_server *st_http_server_start(struct st_loop *l, const struct st_listen *a,
					    st_http_page_fn page, void *ctx, char *why,
					    size_t whylen);
const struct st_http_stats *st_http_server_stats(const struct st_http_server *s);
void st_http_server_stop(struct st_http_server *s);

#endif

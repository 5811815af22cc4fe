// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "http.h"
#include "http_server.h"

#define ACCEPTS_PER_WAKE	16	/* bounded work per wake-up */

struct client {
	struct st_http_server *srv;
	int fd;				/* -1: free */
	int writing;
	long long deadline_ns;		/* CLOCK_MONOTONIC */
	size_t in_len;
	struct st_mbuf out;		/* the whole answer */
	size_t out_off;
	char in[ST_HTTP_REQ_MAX];
};

struct st_http_server {
	struct st_loop *loop;
	int fd;
	st_http_page_fn page;
	void *ctx;
	struct st_http_stats stats;
	struct client c[ST_HTTP_CLIENTS];
};

static void drop(struct client *c)
{
	st_loop_del_fd(c->srv->loop, c->fd);
	close(c->fd);
	c->fd = -1;
	free(c->out.p);
	memset(&c->out, 0, sizeof(c->out));
}

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 431: return "Request Header Fields Too Large";
	}
	return "Bad Request";
}

/* the answer into c->out: headers, and the body unless HEAD */
static void answer(struct client *c, int status, int head)
{
	struct st_http_server *s = c->srv;
	struct st_mbuf body = {};

	s->stats.requests++;
	if (status == 400 || status == 431)
		s->stats.bad++;
	if (status == 200)
		s->page(s->ctx, &body);
	else
		st_mbuf_printf(&body, "%d %s\n", status, status_text(status));
	if (body.oom)
		status = 500;
	st_mbuf_printf(&c->out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		       "%sConnection: close\r\n\r\n", status, status_text(status),
		       status == 200 ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain",
		       body.len, status == 405 ? "Allow: GET, HEAD\r\n" : "");
	if (!head && body.len && !body.oom) {
		/* the body after the headers; one copy, a scrape is rare */
		st_mbuf_printf(&c->out, "%.*s", (int)body.len, body.p);
	}
	free(body.p);
	c->writing = 1;
	st_loop_watch_fd(s->loop, c->fd, 1);
}

static void on_write(struct client *c)
{
	while (c->out_off < c->out.len) {
		ssize_t n = write(c->fd, c->out.p + c->out_off, c->out.len - c->out_off);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;	/* when writable again */
		if (n <= 0)
			break;
		c->out_off += (size_t)n;
	}
	shutdown(c->fd, SHUT_WR);
	drop(c);
}

static void on_read(struct client *c)
{
	struct st_http_req req;
	enum st_http_result res;
	ssize_t n;

	n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {		/* gone before a whole request */
		drop(c);
		return;
	}
	c->in_len += (size_t)n;
	res = st_http_parse(c->in, c->in_len, &req);
	if (res == ST_HTTP_MORE && c->in_len == sizeof(c->in))
		answer(c, 431, 0);
	else if (res != ST_HTTP_MORE)
		answer(c, req.status, res == ST_HTTP_DONE && req.method == ST_HTTP_HEAD);
}

static int on_client(void *ctx)
{
	struct client *c = ctx;

	if (c->fd < 0)
		return 0;
	if (c->writing)
		on_write(c);
	else
		on_read(c);
	return 0;
}

static int on_accept(void *ctx)
{
	struct st_http_server *s = ctx;

	for (int k = 0; k < ACCEPTS_PER_WAKE; k++) {
		int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct client *c = NULL;

		if (fd < 0)
			return 0;	/* EAGAIN, or a client gone already */
		for (int i = 0; i < ST_HTTP_CLIENTS && !c; i++)
			if (s->c[i].fd < 0)
				c = &s->c[i];
		if (!c || st_loop_add_fd(s->loop, fd, on_client, c)) {
			s->stats.refused++;
			close(fd);
			continue;
		}
		c->fd = fd;
		c->writing = 0;
		c->in_len = 0;
		c->out_off = 0;
		c->deadline_ns = st_now_ns(CLOCK_MONOTONIC) + ST_HTTP_TIME_MS * 1000000LL;
	}
	return 0;
}

static int on_sweep(void *ctx)
{
	struct st_http_server *s = ctx;
	long long now = st_now_ns(CLOCK_MONOTONIC);

	for (int i = 0; i < ST_HTTP_CLIENTS; i++) {
		if (s->c[i].fd >= 0 && now > s->c[i].deadline_ns) {
			s->stats.timeouts++;
			drop(&s->c[i]);
		}
	}
	return 0;
}

static int listen_on(const struct st_listen *a)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_port = htons(a->port) };
	struct sockaddr_in s4 = { .sin_family = AF_INET, .sin_port = htons(a->port) };
	int fd, one = 1, zero = 0, v6 = a->family != 4;

	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 && !a->family && errno == EAFNOSUPPORT) {	/* no IPv6: every IPv4 address */
		v6 = 0;
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (v6 && !a->family)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	memcpy(&s6.sin6_addr, a->addr, 16);	/* zero: any */
	memcpy(&s4.sin_addr, a->addr, 4);
	if ((v6 ? bind(fd, (struct sockaddr *)&s6, sizeof(s6)) :
		  bind(fd, (struct sockaddr *)&s4, sizeof(s4))) ||
	    listen(fd, 64)) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

struct st_http_server *st_http_server_start(struct st_loop *l, const struct st_listen *a,
					    st_http_page_fn page, void *ctx, char *why,
					    size_t whylen)
{
	struct st_http_server *s = calloc(1, sizeof(*s));
	int err;

	if (!s) {
		snprintf(why, whylen, "metrics: out of memory");
		return NULL;
	}
	s->loop = l;
	s->page = page;
	s->ctx = ctx;
	for (int i = 0; i < ST_HTTP_CLIENTS; i++) {
		s->c[i].fd = -1;
		s->c[i].srv = s;
	}
	s->fd = listen_on(a);
	if (s->fd < 0) {
		snprintf(why, whylen, "metrics: can't listen on port %u: %s", a->port,
			 strerror(errno));
		free(s);
		return NULL;
	}
	err = st_loop_add_fd(l, s->fd, on_accept, s);
	if (!err)
		err = st_loop_add_timer(l, 1000000000LL, 1000000000LL, on_sweep, s);
	if (err) {
		snprintf(why, whylen, "metrics: can't watch the socket: %s", strerror(-err));
		st_http_server_stop(s);
		return NULL;
	}
	return s;
}

const struct st_http_stats *st_http_server_stats(const struct st_http_server *s)
{
	return &s->stats;
}

void st_http_server_stop(struct st_http_server *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST_HTTP_CLIENTS; i++)
		if (s->c[i].fd >= 0)
			drop(&s->c[i]);
	st_loop_del_fd(s->loop, s->fd);
	close(s->fd);
	free(s);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * loadgen tcp: the connect/accept/close storm on 127.0.0.1 (see main.c).
 * Clients close with SO_LINGER {1, 0}: a RST, no TIME_WAIT.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
#include "loadgen.h"

static int lfd = -1;			/* the listening socket */
static struct sockaddr_in dst;		/* its address: where the clients connect */

void *tcp_server(void *arg)
{
	char b = 0;

	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer);
		int fd = accept4(lfd, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED)
				continue;	/* EAGAIN: SO_RCVTIMEO, look at stop */
			if (!atomic_load(&stop))
				note_error("accept");
			break;	/* EINVAL after shutdown(): we are done */
		}
		atomic_fetch_add_explicit(&accepted, 1, memory_order_relaxed);
		if (opt.data) {
			set_timeouts(fd, 2.0);
			/* errors here are the client's reset racing us: not ours */
			if (recv(fd, &b, 1, 0) == 1)
				(void)send(fd, &b, 1, MSG_NOSIGNAL);
		}
		close(fd);
	}
	atomic_fetch_sub(&running, 1);
	return NULL;
}

void *tcp_client(void *arg)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	const struct sockaddr_in *sa = &dst;
	char b = 'x';

	(void)arg;
	while (atomic_fetch_add_explicit(&next_op, 1, memory_order_relaxed) < opt.n) {
		int fd;

		if (past_deadline())
			break;
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			note_error("socket");
			usleep(1000);
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		set_timeouts(fd, 2.0);	/* bounds connect() and recv() */
		if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
			note_error("connect");
			close(fd);
			continue;
		}
		if (opt.data) {
			if (send(fd, &b, 1, MSG_NOSIGNAL) != 1 || recv(fd, &b, 1, 0) != 1)
				note_error("client-io");
		}
		close(fd);
		atomic_fetch_add_explicit(&done_ops, 1, memory_order_relaxed);
	}
	atomic_fetch_sub(&running, 1);
	return NULL;
}

int tcp_setup(void)
{
	int one = 1;
	socklen_t len = sizeof(dst);

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return perror("socket"), -1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	dst.sin_family = AF_INET;
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	dst.sin_port = htons(opt.port);
	if (bind(lfd, (struct sockaddr *)&dst, sizeof(dst)) < 0)
		return perror("bind 127.0.0.1"), -1;
	if (listen(lfd, 4096) < 0)
		return perror("listen"), -1;
	getsockname(lfd, (struct sockaddr *)&dst, &len);
	opt.port = ntohs(dst.sin_port);
	set_timeouts(lfd, 0.2);	/* accept() wakes up to look at stop */
	return 0;
}

void tcp_wake(void)
{
	if (lfd >= 0)
		shutdown(lfd, SHUT_RDWR);
}

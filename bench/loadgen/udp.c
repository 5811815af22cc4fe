// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * loadgen udp: the flood of datagrams round-robin over opt.flows receiving
 * sockets on 127.0.0.1, and the thread that drains them (see main.c).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "loadgen.h"

static struct sockaddr_in dst[MAX_FLOWS];	/* the receivers' addresses */
static int rfd[MAX_FLOWS];			/* the receivers */

void *udp_drain(void *arg)
{
	struct pollfd pfd[MAX_FLOWS];
	char buf[2048];

	(void)arg;
	for (int i = 0; i < opt.flows; i++)
		pfd[i] = (struct pollfd){ .fd = rfd[i], .events = POLLIN };
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		int r = poll(pfd, opt.flows, 100);

		if (r <= 0)
			continue;
		for (int i = 0; i < opt.flows; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			/* bounded: at most 256 per socket per wake-up */
			for (int k = 0; k < 256; k++) {
				if (recv(rfd[i], buf, sizeof(buf), MSG_DONTWAIT) < 0)
					break;
				atomic_fetch_add_explicit(&received, 1, memory_order_relaxed);
			}
		}
	}
	return NULL;
}

void *udp_sender(void *arg)
{
	char buf[65536];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	long i, batch = 0;

	(void)arg;
	memset(buf, 'u', sizeof(buf));
	if (fd < 0) {
		note_error("socket");
		atomic_store(&stop, true);
		atomic_fetch_sub(&running, 1);
		return NULL;
	}
	set_timeouts(fd, 1.0);
	while ((i = atomic_fetch_add_explicit(&next_op, 1, memory_order_relaxed)) < opt.n) {
		if ((++batch & 255) == 0 && past_deadline())
			break;
		if (sendto(fd, buf, opt.size, 0, (struct sockaddr *)&dst[i % opt.flows],
			   sizeof(dst[0])) < 0) {
			note_error("sendto");
			continue;
		}
		atomic_fetch_add_explicit(&done_ops, 1, memory_order_relaxed);
	}
	close(fd);
	atomic_fetch_sub(&running, 1);
	return NULL;
}

int udp_setup(void)
{
	int rcvbuf = 4 << 20;

	for (int i = 0; i < opt.flows; i++) {
		socklen_t len = sizeof(dst[i]);

		rfd[i] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (rfd[i] < 0)
			return perror("socket"), -1;
		setsockopt(rfd[i], SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		dst[i].sin_family = AF_INET;
		dst[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		dst[i].sin_port = htons(opt.port ? opt.port + i : 0);
		if (bind(rfd[i], (struct sockaddr *)&dst[i], sizeof(dst[i])) < 0)
			return perror("bind 127.0.0.1"), -1;
		getsockname(rfd[i], (struct sockaddr *)&dst[i], &len);
	}
	if (!opt.port)
		opt.port = ntohs(dst[0].sin_port);
	return 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * holdconns N: N established TCP connections over loopback, both ends held
 * by this process, until SIGTERM or SIGINT. Run it in a private network
 * namespace (bench/snapshot/run does). Listeners on 127.0.0.1:PORT_BASE + i,
 * one per PER_PORT connections, so that the client ports never run out.
 * Prints "ready N" once they all exist.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define PORT_BASE	14000
#define PER_PORT	20000
#define MAX_CONNS	200000

static int listener(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 4096)) {
		perror("holdconns: listen");
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	long n = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
	struct rlimit lim;
	sigset_t set;
	int sig, l = -1;

	if (n < 1 || n > MAX_CONNS) {
		fprintf(stderr, "usage: holdconns N (1 to %d connections)\n", MAX_CONNS);
		return 2;
	}
	rlim_t need = (rlim_t)(2 * n + 64 + n / PER_PORT);

	lim.rlim_cur = lim.rlim_max = need;
	if (setrlimit(RLIMIT_NOFILE, &lim)) {
		/* no CAP_SYS_RESOURCE (a container): the hard limit may still do */
		if (getrlimit(RLIMIT_NOFILE, &lim) || lim.rlim_max < need) {
			fprintf(stderr, "holdconns: %ld connections need %llu descriptors; the hard "
				"limit is %llu and can't be raised here (CAP_SYS_RESOURCE)\n", n,
				(unsigned long long)need, (unsigned long long)lim.rlim_max);
			return 1;
		}
		lim.rlim_cur = lim.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &lim)) {
			perror("holdconns: setrlimit NOFILE");
			return 1;
		}
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (long i = 0; i < n; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		int c;

		if (i % PER_PORT == 0)
			l = listener(PORT_BASE + (unsigned)(i / PER_PORT));
		a.sin_port = htons(PORT_BASE + (unsigned)(i / PER_PORT));
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) || accept(l, NULL, NULL) < 0) {
			fprintf(stderr, "holdconns: connection %ld: ", i);
			perror(NULL);
			return 1;
		}
	}
	printf("ready %ld\n", n);
	fflush(stdout);
	sigwait(&set, &sig);
	return 0;
}

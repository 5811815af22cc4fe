// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * holdconns N: N established TCP connections over loopback, both ends held,
 * until SIGTERM or SIGINT. Run it in a private network namespace
 * (bench/snapshot/run does). A process may hold only as many descriptors as
 * its RLIMIT_NOFILE allows (raised to fs.nr_open where CAP_SYS_RESOURCE
 * lets it, else its hard limit, 20,000 in some containers), and a
 * connection with both ends local costs 2: the connections are spread over
 * as many worker processes as that takes, each with a listener of its own
 * on 127.0.0.1:PORT_BASE + worker (its client ports then never run out of
 * the ephemeral range). Prints "ready N WORKERS" once they all exist.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define PORT_BASE	14000
#define MAX_CONNS	200000
#define MAX_WORKERS	256
#define SPARE_FDS	64	/* stdio, the listener, the pipe */
#define PER_PORT	20000	/* below the ephemeral range's size (28,232 by default) */

/* the most descriptors this process can get: fs.nr_open, or the hard limit */
static rlim_t raise_nofile(void)
{
	struct rlimit lim;
	unsigned long nr_open = 0;
	FILE *f = fopen("/proc/sys/fs/nr_open", "r");

	if (f && fscanf(f, "%lu", &nr_open) != 1)
		nr_open = 0;
	if (f)
		fclose(f);
	lim.rlim_cur = lim.rlim_max = nr_open;
	if (nr_open && setrlimit(RLIMIT_NOFILE, &lim) == 0)
		return nr_open;
	/* no CAP_SYS_RESOURCE in the first user namespace: up to the hard limit */
	if (getrlimit(RLIMIT_NOFILE, &lim))
		return 0;
	lim.rlim_cur = lim.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &lim) ? 0 : lim.rlim_max;
}

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

/* worker w: n connections to its own listener, "r" on ready, then hold them */
static void __attribute__((noreturn)) worker(unsigned w, long n, int ready)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int l = -1;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (long i = 0; i < n; i++) {
		unsigned port = PORT_BASE + w * (MAX_CONNS / PER_PORT) + (unsigned)(i / PER_PORT);
		int c;

		if (i % PER_PORT == 0) {
			if (l >= 0)
				close(l);
			l = listener(port);
		}
		a.sin_port = htons(port);
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) || accept(l, NULL, NULL) < 0) {
			fprintf(stderr, "holdconns: worker %u, connection %ld: ", w, i);
			perror(NULL);
			_exit(1);
		}
	}
	if (write(ready, "r", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	long n = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
	rlim_t fds = raise_nofile();
	pid_t pids[MAX_WORKERS];
	int pipefd[2], sig;
	unsigned workers;
	long per;
	sigset_t set;
	char r;

	if (n < 1 || n > MAX_CONNS) {
		fprintf(stderr, "usage: holdconns N (1 to %d connections)\n", MAX_CONNS);
		return 2;
	}
	per = fds > SPARE_FDS ? (long)(fds - SPARE_FDS) / 2 : 0;
	if (per < 1) {
		fprintf(stderr, "holdconns: no descriptors to spare (RLIMIT_NOFILE)\n");
		return 1;
	}
	if (per > n)
		per = n;
	workers = (unsigned)((n + per - 1) / per);
	if (workers > MAX_WORKERS) {
		fprintf(stderr, "holdconns: %ld connections need %u processes of %ld; at most %d\n",
			n, workers, per, MAX_WORKERS);
		return 1;
	}
	if (pipe(pipefd)) {
		perror("holdconns: pipe");
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (unsigned w = 0; w < workers; w++) {
		long mine = w + 1 < workers ? per : n - per * (long)w;

		pids[w] = fork();
		if (pids[w] < 0) {
			perror("holdconns: fork");
			return 1;
		}
		if (pids[w] == 0) {
			close(pipefd[0]);
			worker(w, mine, pipefd[1]);
		}
	}
	close(pipefd[1]);
	for (unsigned w = 0; w < workers; w++)
		if (read(pipefd[0], &r, 1) != 1) {
			fprintf(stderr, "holdconns: a worker failed\n");
			for (unsigned k = 0; k < workers; k++)
				kill(pids[k], SIGKILL);
			return 1;
		}
	printf("ready %ld %u\n", n, workers);
	fflush(stdout);
	sigwait(&set, &sig);
	for (unsigned w = 0; w < workers; w++)
		kill(pids[w], SIGKILL);
	for (unsigned w = 0; w < workers; w++)
		waitpid(pids[w], NULL, 0);
	return 0;
}

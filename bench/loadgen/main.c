// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * loadgen: loopback load for the socktrace overhead benchmark (bench/run).
 * This file: the options, the threads started and waited for, the output line.
 *
 *   loadgen tcp -n N -t T [-p PORT] [-s S] [--data] [--timeout SEC]
 *       A TCP connect/accept/close storm against 127.0.0.1:PORT. One process:
 *       S accept threads (default 1) serve a listening socket, T client
 *       threads (default 2) share N connections. Each client cycle is
 *       socket(), connect(), [send 1 byte, recv 1 byte], close(); each server
 *       cycle is accept4() (with the peer address), [recv 1, send 1], close().
 *       PORT 0 (the default) lets the kernel choose; the port is printed.
 *
 *       No TIME_WAIT, no port exhaustion: every client socket has
 *       SO_LINGER {1, 0}, so its close() sends a RST and frees the 4-tuple at
 *       once on both ends (the server's socket, closed or not, dies on the
 *       RST). Nothing depends on net.ipv4.tcp_tw_reuse, and N is not bounded
 *       by the ephemeral port range (200k and more run back to back).
 *       With --data the client waits for the server's byte before closing,
 *       so every accept() sees a live, established connection; without it
 *       the client may reset the connection before the server accepts it
 *       (Linux still hands it to accept()).
 *
 *   loadgen udp -n N -f F [-p BASEPORT] [-t T] [--size B] [--no-drain] [--timeout SEC]
 *       A UDP flood of N datagrams (B bytes, default 16) sent round-robin to
 *       F flows: F receiving sockets on 127.0.0.1 (ports BASEPORT..+F-1, or
 *       kernel-chosen), from T sender threads (default 1), each on its own
 *       unconnected socket. One thread drains the receive queues (unless
 *       --no-drain: then the kernel drops what does not fit). The rate is
 *       the send rate.
 *
 * Output: one line on stdout, key=value separated by spaces:
 *   loadgen mode=tcp ops=N secs=S rate=R/s user_us=U sys_us=Y pid=P port=PORT
 *           errors=E accepted=A early=0|1 [reason=...]
 *   loadgen mode=udp ops=N secs=S rate=R/s user_us=U sys_us=Y pid=P port=FIRST
 *           flows=F errors=E received=R early=0|1 [reason=...]
 * ops counts completed operations (connections whose connect() succeeded,
 * datagrams sent). user_us/sys_us are getrusage(RUSAGE_SELF) (all threads;
 * no child process is forked) so CPU per op = (user_us+sys_us)/ops.
 * Every loop is bounded by N and by --timeout (default 60 s): loadgen is done
 * within --timeout; when the load has to stop early for it (2.5 s before, so
 * that its threads get out in time) the line says early=1 and the exit
 * status is 2.
 * Exit status: 0 all N done, 1 setup/usage error, 2 stopped early.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "loadgen.h"

struct loadgen_opts opt = {
	.threads = -1, .servers = 1, .flows = 16, .size = 16, .drain = true,
	.timeout = 60.0,
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: loadgen tcp -n N [-t THREADS] [-s SERVER_THREADS] [-p PORT] [--data] [--timeout SEC]\n"
		"       loadgen udp -n N [-f FLOWS] [-t THREADS] [-p BASEPORT] [--size BYTES] [--no-drain] [--timeout SEC]\n"
		"Loopback (127.0.0.1) only. Done within --timeout (default 60, at least 2).\n"
		"Prints one line: ops= secs= rate= user_us= sys_us= ...\n");
}

static long num(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s ? s : "", &end, 10);
	if (!s || errno || *end || end == s || v < lo || v > hi) {
		fprintf(stderr, "loadgen: bad %s '%s' (%ld..%ld)\n", what, s ? s : "", lo, hi);
		exit(1);
	}
	return v;
}

int main(int argc, char **argv)
{
	pthread_t th[MAX_THREADS * 2 + 1], drain_th;
	int nth = 0, workers;
	double start = now(), t0, t1, hard_end, accept_wait = 0;
	bool early, drain_started = false;
	const char *reason = NULL;

	if (argc < 2 || (strcmp(argv[1], "tcp") && strcmp(argv[1], "udp"))) {
		usage(argc > 1 && !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc > 1 && !strcmp(argv[1], "--help") ? 0 : 1;
	}
	opt.tcp = !strcmp(argv[1], "tcp");
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-n"))
			opt.n = num(v, 1, 1000000000L, "-n"), i++;
		else if (!strcmp(a, "-t"))
			opt.threads = num(v, 1, MAX_THREADS, "-t"), i++;
		else if (!strcmp(a, "-s"))
			opt.servers = num(v, 1, MAX_THREADS, "-s"), i++;
		else if (!strcmp(a, "-f"))
			opt.flows = num(v, 1, MAX_FLOWS, "-f"), i++;
		else if (!strcmp(a, "-p"))
			opt.port = num(v, 0, 65535, "-p"), i++;
		else if (!strcmp(a, "--size"))
			opt.size = num(v, 1, 65000, "--size"), i++;
		else if (!strcmp(a, "--timeout"))
			opt.timeout = num(v, 2, 3600, "--timeout"), i++;
		else if (!strcmp(a, "--data"))
			opt.data = true;
		else if (!strcmp(a, "--no-drain"))
			opt.drain = false;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return usage(stdout), 0;
		else
			return fprintf(stderr, "loadgen: unknown option '%s'\n", a), usage(stderr), 1;
	}
	if (opt.n <= 0)
		return fprintf(stderr, "loadgen: -n N is required\n"), 1;
	if (opt.threads < 0)
		opt.threads = opt.tcp ? 2 : 1;
	if (!opt.tcp && opt.port && opt.port + opt.flows - 1 > 65535)
		return fprintf(stderr, "loadgen: -p + -f past 65535\n"), 1;

	if (opt.tcp ? tcp_setup() : udp_setup())
		return 1;

	/*
	 * Done within --timeout, from here: the load stops early enough that
	 * the threads (every blocking call has a 2 s socket timeout) are out
	 * before the end; whatever is still stuck then is left behind (_exit).
	 */
	hard_end = start + opt.timeout - 0.05;
	t0 = now();
	deadline = start + (opt.timeout >= 5 ? opt.timeout - 2.5 : opt.timeout / 2);
	if (!opt.tcp && opt.drain) {
		if (pthread_create(&drain_th, NULL, udp_drain, NULL) == 0)
			drain_started = true;
	}
	if (opt.tcp) {
		for (int i = 0; i < opt.servers; i++) {
			atomic_fetch_add(&running, 1);
			if (pthread_create(&th[nth], NULL, tcp_server, NULL))
				return perror("pthread_create"), 1;
			nth++;
		}
	}
	workers = opt.threads;
	for (int i = 0; i < workers; i++) {
		atomic_fetch_add(&running, 1);
		if (pthread_create(&th[nth], NULL, opt.tcp ? tcp_client : udp_sender, NULL))
			return perror("pthread_create"), 1;
		nth++;
	}

	/* wait: the clients/senders, then (tcp) the server catching up */
	for (long last_acc = -1; ; ) {
		int servers_left = opt.tcp ? opt.servers : 0;

		if (atomic_load(&running) <= servers_left) {
			/* clients done; tcp: every completed connect accepted? */
			long acc = atomic_load(&accepted);

			if (!opt.tcp || acc >= atomic_load(&done_ops))
				break;
			if (acc == last_acc && now() >= accept_wait)
				break;	/* 1 s without an accept: they are not coming */
			if (acc != last_acc)
				accept_wait = now() + 1.0;
			last_acc = acc;
		}
		if (now() >= deadline) {
			atomic_store(&stop, true);
			break;
		}
		usleep(2000);
	}
	t1 = now();
	atomic_store(&stop, true);
	tcp_wake();	/* wakes accept() (udp: nothing to do) */

	while (atomic_load(&running) > 0 && now() < hard_end)
		usleep(2000);
	if (atomic_load(&running) > 0) {
		reason = "threads-stuck";
	} else {
		for (int i = 0; i < nth; i++)
			pthread_join(th[i], NULL);
		if (drain_started)
			pthread_join(drain_th, NULL);
	}

	{
		long ops, user_us, sys_us;
		double secs = t1 - t0;

		cpu_us(&user_us, &sys_us);
		ops = atomic_load(&done_ops);
		early = ops < opt.n || reason;
		if (early && !reason)
			reason = t1 >= deadline ? "timeout" : "errors";
		printf("loadgen mode=%s ops=%ld secs=%.6f rate=%.1f/s user_us=%ld sys_us=%ld pid=%d port=%d",
		       opt.tcp ? "tcp" : "udp", ops, secs, secs > 0 ? ops / secs : 0.0,
		       user_us, sys_us, (int)getpid(), opt.port);
		if (opt.tcp)
			printf(" errors=%ld accepted=%ld", atomic_load(&errors), atomic_load(&accepted));
		else
			printf(" flows=%d errors=%ld received=%ld", opt.flows, atomic_load(&errors),
			       atomic_load(&received));
		printf(" early=%d", early ? 1 : 0);
		if (reason)
			printf(" reason=%s", reason);
		if (first_error[0])
			printf(" first_error=%s", first_error);
		printf("\n");
		fflush(stdout);
		if (early)
			fprintf(stderr, "loadgen: stopped early (%s) after %ld of %ld ops\n",
				reason, ops, opt.n);
		/* a stuck thread must not keep us alive past the timeout */
		_exit(early ? 2 : 0);
	}
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "budget.h"
#include "util.h"

/*
 * What a scenario costs beyond its own waits: socktrace's start (loading and
 * attaching its programs) and the network namespace, then the stop (the
 * 100 ms it is given to drain, its exit, the check); each connection and each
 * datagram. HEADROOM times the sum is its limit.
 */
#define START_MS	2000
#define STOP_MS		300
#define CONN_US		2000
#define DGRAM_US	100
#define HEADROOM	3
#define MARGIN_S	10	/* a whole run: st-live's own start, calibration, reports */
#define CALIBRATE_ALU_ROUNDS	32000000UL
#define CALIBRATE_KERNEL_ROUNDS	40

unsigned scenario_limit_s(const struct scenario *sc)
{
	unsigned long long us = (START_MS + STOP_MS) * 1000ULL;

	if (sc->limit_s)
		return sc->limit_s;
	for (int i = 0; i < scenario_n_actors(sc); i++) {
		const struct actor *a = &sc->actors[i];
		unsigned count = a->count > 0 ? (unsigned)a->count : 1;

		us += (a->start_ms + a->gap_ms) * 1000ULL;
		switch (a->kind) {
		case TCP_TIMEOUT:
			us += TCP_TIMEOUT_MS * 1000ULL;
			break;
		case UDP_CONNECTED:	/* twice with a gap */
			us += (a->gap_ms ? 2ULL : 1ULL) * count * DGRAM_US;
			break;
		case UDP_UNCONNECTED:	/* to two destinations */
			us += 2ULL * count * DGRAM_US;
			break;
		default:
			us += (unsigned long long)count * CONN_US;
		}
	}
	return (unsigned)((HEADROOM * us + 999999) / 1000000);
}

/* x >= 0 rounded up */
static unsigned long ceil_ul(double x)
{
	unsigned long u = (unsigned long)x;

	return u + ((double)u < x);
}

unsigned scaled_limit_s(const struct scenario *sc, double slowdown)
{
	return (unsigned)ceil_ul(scenario_limit_s(sc) * slowdown);
}

unsigned long budget_s(const struct scenario *const *sel, int n, double slowdown, int retries)
{
	unsigned long s = ceil_ul(MARGIN_S * slowdown);

	for (int i = 0; i < n; i++)
		s += (unsigned long)scaled_limit_s(sel[i], slowdown) * (1UL + (unsigned long)retries);
	return s;
}

static volatile unsigned long long calibrate_sink;

/*
 * A fixed loop, about three quarters arithmetic and one quarter the kernel
 * work the scenarios do most (a process made and reaped, memory mapped,
 * touched and unmapped, sockets made and closed, system calls). Under QEMU's
 * TCG arithmetic runs about as fast as natively while that kernel work is 10
 * to 40 times slower, and the scenarios, which also sleep, some 4 to 8 times:
 * the mix makes the loop about 10 times slower there.
 */
long long calibrate_ns(void)
{
	unsigned long long x = 88172645463325252ULL;
	double t0 = now_s();

	/* xorshift64: each round needs the last, so nothing folds or vectorizes it */
	for (unsigned long i = 0; i < CALIBRATE_ALU_ROUNDS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	calibrate_sink = x;
	for (int round = 0; round < CALIBRATE_KERNEL_ROUNDS; round++) {
		pid_t child = fork();

		if (child < 0)
			die("fork");
		if (child == 0)
			_exit(0);
		waitpid(child, NULL, 0);
		for (int i = 0; i < 10; i++) {
			char *p = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				die("mmap");
			for (int k = 0; k < 16; k++)
				((volatile char *)p)[k * 4096] = 1;
			munmap(p, 16 * 4096);
			close(socket(AF_INET, SOCK_DGRAM, 0));
		}
		for (int i = 0; i < 100; i++)
			getppid();
	}
	return (long long)((now_s() - t0) * 1e9);
}

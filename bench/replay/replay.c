// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench/replay: the stream's own work per event, without a kernel, a load or
 * a ring buffer: the events of a loopback storm (connect, accept and both
 * closes of each connection, loopback IPv4, large cookies as the kernel's,
 * the root cgroup named) made up front, then each through the local peers
 * table and the JSON printer into a 64 KiB stdio buffer, as pipeline.c does
 * for `socktrace -j`. Prints the process CPU time per event, the best of the
 * rounds (each round a fresh table). Two builds compared this way differ
 * only in their code: the machine's other work can only add to a round.
 *
 * usage: replay [-n CONNECTIONS] [-r ROUNDS] [-o FILE]   (/dev/null by default)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cgroup_names.h"
#include "format.h"
#include "local_peers.h"

#define EPOCH_OFF_NS	1796635424000000000LL	/* Unix time of a monotonic 0, December 2026 */

static struct st_event *storm(unsigned n)
{
	struct st_event *ev = calloc((size_t)n * 4, sizeof(*ev));
	unsigned long long x = 0x9e3779b97f4a7c15ULL;

	if (!ev)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		struct st_event c = {
			.ts_ns = 1000000000000ULL + i * 17000ULL, .pid = 2000, .tid = 2001 + i % 2,
			.netns = 4026531833u, .cgroup = 1, .type = ST_EV_CONNECT, .proto = 6,
			.family = 4, .laddr = { 127, 0, 0, 1 }, .raddr = { 127, 0, 0, 1 },
			.lport = (__u16)(32768 + (i * 7919u) % 28000), .rport = 37291, .comm = "loadgen",
		}, s = c;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		c.cookie = x;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		s.cookie = x;
		s.type = ST_EV_ACCEPT;
		s.tid = 2003;
		s.lport = c.rport;
		s.rport = c.lport;
		s.ts_ns += 5000;
		ev[4 * i] = c;
		ev[4 * i + 1] = s;
		c.type = s.type = ST_EV_CLOSE;
		c.ts_ns += 8000;
		s.ts_ns += 9000;
		c.duration_ns = 8000;
		s.duration_ns = 4000;
		ev[4 * i + 2] = c;
		ev[4 * i + 3] = s;
	}
	return ev;
}

static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 16];
	static char root[] = "/";
	const struct st_cg_name cg = { .id = 1, .known = true, .len = 1, .path = root };
	unsigned n = 200000, rounds = 5;
	const char *path = "/dev/null";
	double best = 0;
	struct st_event *ev;
	FILE *out;
	int c;

	while ((c = getopt(argc, argv, "n:r:o:")) != -1) {
		if (c == 'n')
			n = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 'r')
			rounds = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 'o')
			path = optarg;
		else
			return 2;
	}
	ev = storm(n);
	out = fopen(path, "w");
	if (!ev || !out || !n || !rounds) {
		fprintf(stderr, "replay: can't start (out of memory, %s, or -n/-r 0)\n", path);
		return 1;
	}
	setvbuf(out, outbuf, _IOFBF, sizeof(outbuf));
	for (unsigned r = 0; r < rounds; r++) {
		struct st_local_peers *t = st_local_peers_new(0);
		double t0 = cpu_ns(), per;

		for (size_t i = 0; i < (size_t)n * 4; i++) {
			struct st_enriched x = { .cg = &cg };
			struct st_local_peer peer;

			if (st_local_peers_event(t, &ev[i], &peer) != ST_PEER_UNKNOWN)
				x.peer = &peer;
			st_print_json(out, &ev[i], EPOCH_OFF_NS, &x);
		}
		fflush(out);
		per = (cpu_ns() - t0) / (n * 4.0);
		st_local_peers_free(t);
		printf("round %u: %.1f ns/event\n", r + 1, per);
		if (!r || per < best)
			best = per;
	}
	printf("best %.1f ns/event (%u events a round)\n", best, n * 4);
	fclose(out);
	free(ev);
	return 0;
}

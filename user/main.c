// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * socktrace: live TCP connects, accepts and UDP flows with their processes.
 *
 * main() reads top to bottom: parse the command line, check privilege and
 * BTF, pick and start a backend, then stream events from the ring buffer
 * until Ctrl-C, SIGTERM or --duration, and tear everything down.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "cli.h"
#include "format.h"
#include "socktrace.skel.h"
#include "peers.h"
#include "proc_table.h"
#include "summary.h"
#include "test_seam.h"
#include "top.h"
#include "udp_expiry.h"

#define CAP_PERFMON_BIT	38
#define CAP_BPF_BIT	39

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

struct run {
	const struct st_opts *o;
	long long epoch_off_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	unsigned long long events;
	unsigned batch;		/* events handled in the current poll */
};

/*
 * libbpf's poll keeps consuming while the producer keeps producing: under a
 * storm it would never return. The callback ends a batch after this many
 * events (the event itself is consumed), so that output is flushed, drops
 * are reported and signals and --duration are seen at least this often.
 */
#define BATCH_MAX	4096
#define POLL_MS		20	/* the longest an event waits for the reader */
#define BATCH_END	(-EAGAIN)

static long long now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static bool has_cap(const struct __user_cap_data_struct d[2], int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

/* root, or CAP_BPF with CAP_PERFMON, or CAP_SYS_ADMIN (kernels before 5.8) */
static bool privileged(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};

	if (syscall(SYS_capget, &h, d))
		return geteuid() == 0;
	return has_cap(d, CAP_SYS_ADMIN) || (has_cap(d, CAP_BPF_BIT) && has_cap(d, CAP_PERFMON_BIT));
}

/* the per-process table from the kernel's counters: for --summary and --top */
static int read_table(struct socktrace_bpf *skel, struct st_table *t)
{
	return st_table_read(bpf_map__fd(skel->maps.proc_stats), bpf_map__fd(skel->maps.listens),
			     bpf_map__max_entries(skel->maps.proc_stats), t);
}

static void print_summary(struct socktrace_bpf *skel, const struct run *r)
{
	struct st_table t;
	int err = read_table(skel, &t);

	if (err) {
		fprintf(stderr, "socktrace: can't read the process counters: %s\n", strerror(-err));
		return;
	}
	st_print_summary(stdout, &t, r->o->json, now_ns(CLOCK_REALTIME));
	if (!r->o->json)
		fputc('\n', stdout);
	fflush(stdout);
	st_table_free(&t);
}

static void draw_top(struct socktrace_bpf *skel, struct st_top *top, int backend)
{
	struct st_peer_row peers[5];
	struct st_table t;
	size_t n;

	if (read_table(skel, &t))
		return;
	n = st_peers_top(bpf_map__fd(skel->maps.peers), peers, 5);
	st_top_draw(top, &t, peers, n, st_backend_name(backend),
		    __atomic_load_n(&skel->bss->dropped, __ATOMIC_RELAXED));
	st_table_free(&t);
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct run *r = ctx;
	const struct st_event *e = data;

	if (size < sizeof(*e))
		return 0;
	r->events++;
	if (r->o->json)
		st_print_json(stdout, e, r->epoch_off_ns);
	else
		st_print_text(stdout, e, r->epoch_off_ns);
	return ++r->batch >= BATCH_MAX || exiting ? BATCH_END : 0;
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 16];
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	struct socktrace_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct st_top *top = NULL;
	long long next_summary = 0, next_top = 0, next_sweep = 0, sweep_every;
	unsigned long long reported = 0, dropped, unfollowed, missed, unseen;
	struct run run = {};
	struct st_opts o;
	long long deadline = 0, last_report = 0;
	char why[512];
	int backend, err = 1;

	/* parse the command line */
	switch (st_cli_parse(argc, argv, &o, stdout, why, sizeof(why))) {
	case ST_CLI_EXIT:
		return 0;
	case ST_CLI_USAGE:
		fprintf(stderr, "socktrace: %s\n", why);
		return 2;
	case ST_CLI_RUN:
		break;
	}
	if (st_test_seam_read(&o, why, sizeof(why))) {
		fprintf(stderr, "socktrace: %s\n", why);
		return 2;
	}
	run.o = &o;

	/* privilege and BTF, before touching the kernel */
	if (!privileged()) {
		fprintf(stderr, "socktrace: permission denied: run as root, or grant CAP_BPF and "
			"CAP_PERFMON (e.g. sudo socktrace)\n");
		return 1;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "socktrace: this kernel has no BTF at /sys/kernel/btf/vmlinux: "
			"it needs CONFIG_DEBUG_INFO_BTF=y\n");
		return 1;
	}
	st_libbpf_log_setup(o.verbose);
	/* kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);

	if (o.top && !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "socktrace: --top needs a terminal on stdout; use --summary for a "
			"pipe or a file\n");
		return 1;
	}
	if (o.probe) {
		err = st_backend_report(stdout, &o) ? 1 : 0;
		st_backend_cleanup();
		return err;
	}

	/* Ctrl-C and SIGTERM end the loop; a closed pipe ends it too */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	/* open, configure, load and attach the backend */
	if (st_backend_start(&o, &skel, &backend, why, sizeof(why))) {
		fprintf(stderr, "socktrace: %s\n", why);
		goto cleanup;
	}
	/* loading parsed the kernel's BTF (megabytes): give that memory back */
	malloc_trim(0);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, &run, NULL);
	if (!rb) {
		fprintf(stderr, "socktrace: can't create the ring buffer reader: %s\n",
			strerror(errno));
		goto cleanup;
	}

	/* the stream: fully buffered, flushed after each batch of events */
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (!o.json && !o.no_header && o.stream)
		st_print_header(stdout);
	fflush(stdout);
	run.epoch_off_ns = now_ns(CLOCK_REALTIME) - now_ns(CLOCK_MONOTONIC);
	if (o.duration_s)
		deadline = now_ns(CLOCK_MONOTONIC) + (long long)o.duration_s * 1000000000LL;
	st_test_seam_announce(&o);
	fprintf(stderr, "socktrace: tracing with the %s backend%s\n", st_backend_name(backend),
		o.duration_s ? "" : ", Ctrl-C to stop");
	/* idle UDP flows are looked for a few times per idle period */
	sweep_every = (long long)o.udp_idle_s * 1000000000LL / 4;
	if (sweep_every > 5000000000LL)
		sweep_every = 5000000000LL;
	next_sweep = now_ns(CLOCK_MONOTONIC) + sweep_every;
	if (o.summary_every_s)
		next_summary = now_ns(CLOCK_MONOTONIC) + (long long)o.summary_every_s * 1000000000LL;
	if (o.top)
		top = st_top_begin();

	while (!exiting) {
		int n;
		long long now;

		/*
		 * The kernel side wakes us only when an eighth of the buffer is
		 * queued; otherwise what is there is read every POLL_MS.
		 */
		run.batch = 0;
		n = ring_buffer__poll(rb, POLL_MS);
		if (n >= 0 || n == BATCH_END)
			n = ring_buffer__consume(rb);
		if (n == BATCH_END)
			n = (int)run.batch;
		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "socktrace: reading the ring buffer failed: %s\n",
				strerror(-n));
			goto cleanup;
		}
		if (n > 0 && (fflush(stdout) || ferror(stdout))) {
			if (errno != EPIPE)
				fprintf(stderr, "socktrace: writing events failed: %s\n",
					strerror(errno));
			break;
		}
		now = now_ns(CLOCK_MONOTONIC);
		dropped = __atomic_load_n(&skel->bss->dropped, __ATOMIC_RELAXED);
		if (dropped != reported && now - last_report >= 1000000000LL && !top) {
			fprintf(stderr, "socktrace: %llu events dropped so far: the ring buffer was "
				"full (try a larger --buffer-size)\n", dropped);
			reported = dropped;
			last_report = now;
		}
		if (now >= next_sweep) {
			st_udp_expire(bpf_map__fd(skel->maps.udp_flows), (__u64)now,
				      o.udp_idle_s * 1000000000ULL);
			next_sweep = now + sweep_every;
		}
		if (next_summary && now >= next_summary) {
			print_summary(skel, &run);
			next_summary = now + (long long)o.summary_every_s * 1000000000LL;
		}
		if (top && now >= next_top) {
			draw_top(skel, top, backend);
			next_top = now + 1000000000LL;
		}
		if (deadline && now >= deadline)
			break;
	}
	st_top_end(top);
	top = NULL;
	if (o.summary)
		print_summary(skel, &run);
	/* what is still in the buffer is delivered before stopping, in bounded batches */
	exiting = 0;
	for (int i = 0; i < 64; i++) {
		run.batch = 0;
		if (ring_buffer__consume(rb) != BATCH_END)
			break;
	}
	fflush(stdout);
	dropped = __atomic_load_n(&skel->bss->dropped, __ATOMIC_RELAXED);
	if (o.stream)
		fprintf(stderr, "socktrace: %llu events, %llu dropped\n", run.events, dropped);
	missed = st_backend_missed(skel);
	if (missed)
		fprintf(stderr, "socktrace: the kernel skipped %llu hook runs (a socktrace program "
			"was already running on that CPU): events may be missing\n", missed);
	unfollowed = __atomic_load_n(&skel->bss->owners_full, __ATOMIC_RELAXED);
	if (unfollowed)
		fprintf(stderr, "socktrace: %llu connections were not followed to their close or "
			"failure: more were open at once than socktrace keeps (%u)\n", unfollowed,
			bpf_map__max_entries(skel->maps.tcp_owners));
	unseen = __atomic_load_n(&skel->bss->closes_unseen, __ATOMIC_RELAXED);
	if (unseen)
		fprintf(stderr, "socktrace: %llu connections ended without socktrace seeing their "
			"close: each was found when the kernel reused its socket, and reported then, "
			"marked \"late\"\n", unseen);
	unseen = __atomic_load_n(&skel->bss->connects_unseen, __ATOMIC_RELAXED);
	if (unseen)
		fprintf(stderr, "socktrace: %llu connects were never reported: the kernel reused "
			"the socket before socktrace saw its SYN leave or its connect end\n", unseen);
	err = 0;

cleanup:
	st_top_end(top);
	ring_buffer__free(rb);
	st_backend_unload(skel);
	st_backend_cleanup();
	return err;
}

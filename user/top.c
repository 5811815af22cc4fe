// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <arpa/inet.h>
#include "addr.h"
#include "escape.h"
#include "human.h"
#include "top.h"

struct prev {
	__u32 pid;
	__u64 activity;
	__u64 bytes;
};

struct st_top {
	struct prev *prev;	/* the last frame's totals, sorted by pid */
	size_t n_prev;
	double prev_t;
};

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct st_top *st_top_begin(void)
{
	struct st_top *top;

	if (!isatty(STDOUT_FILENO))
		return NULL;
	top = calloc(1, sizeof(*top));
	if (!top)
		return NULL;
	top->prev_t = mono_s();
	/* alternate screen, cursor hidden */
	fputs("\033[?1049h\033[?25l", stdout);
	fflush(stdout);
	return top;
}

void st_top_end(struct st_top *top)
{
	if (!top)
		return;
	fputs("\033[?25h\033[?1049l", stdout);
	fflush(stdout);
	free(top->prev);
	free(top);
}

static int by_pid(const void *a, const void *b)
{
	const struct prev *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static const struct prev *find_prev(const struct st_top *top, __u32 pid)
{
	struct prev key = { .pid = pid };

	return top->n_prev ? bsearch(&key, top->prev, top->n_prev, sizeof(key), by_pid) : NULL;
}

/* print a line cut to the terminal's width */
static void line(int width, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(int width, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (width > 0 && (int)strlen(buf) > width)
		buf[width] = '\0';
	fputs(buf, stdout);
	fputs("\033[K\n", stdout);
}

void st_top_draw(struct st_top *top, const struct st_table *t, const struct st_peer_row *peers,
		 size_t n_peers, const char *backend, unsigned long long dropped)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	double now = mono_s(), dt = now - top->prev_t;
	char comm[ST_ESC_MAX(ST_COMM_LEN)], tx[16], rx[16], rate[16], bps[16];
	__u64 total = 0;
	struct prev *next;
	int rows, used = 0;

	ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws);
	if (dt <= 0)
		dt = 1;
	for (size_t i = 0; i < t->n; i++)
		total += st_activity(&t->rows[i].s);
	fputs("\033[H", stdout);
	line(ws.ws_col, "socktrace --top  backend %s  %zu processes  %llu events  %llu dropped"
	     "  (Ctrl-C quits)", backend, t->n, (unsigned long long)total, dropped);
	line(ws.ws_col, "%s", "");
	line(ws.ws_col, "%-7s %-16s %7s %8s %7s %5s %5s %5s %7s %7s %s", "PID", "COMM", "EV/s",
	     "CONNECTS", "ACCEPTS", "FAILS", "UDP", "PEERS", "TX", "RX", "TX+RX/s");
	used = 3;
	/* the busiest peers take the bottom: up to 5 lines and a title */
	rows = ws.ws_row - used - (n_peers ? (int)n_peers + 2 : 0) - 1;
	for (size_t i = 0; i < t->n && (int)i < rows; i++) {
		const struct st_row *r = &t->rows[i];
		const struct prev *p = find_prev(top, r->pid);
		__u64 act = st_activity(&r->s), bytes = r->s.tx_bytes + r->s.rx_bytes;

		st_escape(comm, sizeof(comm), r->s.comm, ST_COMM_LEN, ST_ESC_TEXT);
		st_human(tx, sizeof(tx), r->s.tx_bytes);
		st_human(rx, sizeof(rx), r->s.rx_bytes);
		/* a process new since the last frame did all of its work in it */
		snprintf(rate, sizeof(rate), "%.1f", (double)(act - (p ? p->activity : 0)) / dt);
		st_human(bps, sizeof(bps),
			 (unsigned long long)((double)(bytes - (p ? p->bytes : 0)) / dt));
		line(ws.ws_col, "%-7u %-16s %7s %8llu %7llu %5llu %5llu %5llu %7s %7s %s", r->pid,
		     comm, rate, (unsigned long long)r->s.connects, (unsigned long long)r->s.accepts,
		     (unsigned long long)r->s.fails, (unsigned long long)r->s.udp_flows,
		     (unsigned long long)r->s.peers, tx, rx, bps);
		used++;
	}
	if (n_peers) {
		line(ws.ws_col, "%s", "");
		line(ws.ws_col, "%-46s %7s %s", "BUSIEST PEERS", "SOCKETS", "PROCESSES");
		for (size_t i = 0; i < n_peers; i++) {
			char ep[ST_ADDR_LEN];

			st_format_endpoint(ep, sizeof(ep), peers[i].k.family, peers[i].k.addr,
					   peers[i].k.port);
			if (!peers[i].k.port)	/* accepted from that address: any port */
				strcpy(strrchr(ep, ':'), ":*");
			line(ws.ws_col, "%-46s %7llu %u", ep, (unsigned long long)peers[i].count,
			     peers[i].processes);
		}
	}
	fputs("\033[J", stdout);	/* clear what the last frame left below */
	fflush(stdout);

	/* remember this frame's totals for the next rates */
	next = calloc(t->n ? t->n : 1, sizeof(*next));
	if (next) {
		for (size_t i = 0; i < t->n; i++) {
			next[i].pid = t->rows[i].pid;
			next[i].activity = st_activity(&t->rows[i].s);
			next[i].bytes = t->rows[i].s.tx_bytes + t->rows[i].s.rx_bytes;
		}
		qsort(next, t->n, sizeof(*next), by_pid);
		free(top->prev);
		top->prev = next;
		top->n_prev = t->n;
	}
	top->prev_t = now;
}

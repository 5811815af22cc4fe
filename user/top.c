// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include "addr.h"
#include "conn_table.h"
#include "escape.h"
#include "human.h"
#include "peer_names.h"
#include "screen.h"
#include "term.h"
#include "top.h"
#include "top_detail.h"

struct prev {
	__u32 pid;
	__u64 activity;
	__u64 bytes;
};

struct st_top {
	struct prev *prev;	/* the last tick's totals, sorted by pid */
	size_t n_prev;
	double prev_t;
	struct st_top_ui ui;
	bool keys;		/* stdin gives keys */
};

/* a row as shown: the kernel's counters and the table's open connections */
struct view_row {
	const struct st_row *r;
	unsigned open;
	char comm[ST_ESC_MAX(ST_COMM_LEN)];
};

static const char *const sort_names[] = {
	[ST_SORT_EVENTS] = "events", [ST_SORT_CONNECTS] = "connects",
	[ST_SORT_ACCEPTS] = "accepts", [ST_SORT_FAILS] = "fails", [ST_SORT_OPEN] = "open",
	[ST_SORT_BYTES] = "bytes",
};

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct st_top *st_top_begin(void)
{
	struct st_top *top = calloc(1, sizeof(*top));

	if (!top)
		return NULL;
	if (st_term_enter(&top->keys)) {
		free(top);
		return NULL;
	}
	top->prev_t = mono_s();
	st_top_ui_init(&top->ui);
	return top;
}

void st_top_end(struct st_top *top)
{
	if (!top)
		return;
	st_term_leave();
	free(top->prev);
	free(top);
}

bool st_top_has_keys(const struct st_top *top)
{
	return top && top->keys;
}

struct st_top_ui *st_top_ui(struct st_top *top)
{
	return &top->ui;
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

static enum st_top_sort sorting;	/* qsort has no context */

static __u64 sort_value(const struct view_row *v)
{
	const struct st_proc_stats *s = &v->r->s;

	switch (sorting) {
	case ST_SORT_CONNECTS: return s->connects;
	case ST_SORT_ACCEPTS: return s->accepts;
	case ST_SORT_FAILS: return s->fails;
	case ST_SORT_OPEN: return v->open;
	case ST_SORT_BYTES: return s->tx_bytes + s->rx_bytes;
	case ST_SORT_EVENTS: break;
	}
	return st_activity(s);
}

/* the sort key, most first; then as the kernel's table came (by activity) */
static int by_key(const void *a, const void *b)
{
	const struct view_row *x = a, *y = b;
	__u64 vx = sort_value(x), vy = sort_value(y);

	if (vx != vy)
		return vx < vy ? 1 : -1;
	return x->r < y->r ? -1 : x->r > y->r;
}

/* the rows the filter keeps, sorted: how many */
static size_t view(const struct st_top *top, const struct st_table *t,
		   const struct st_conn_table *conns, struct view_row *out)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct st_conn_proc *p = st_conn_proc(conns, t->rows[i].pid);
		struct view_row *v = &out[n];

		st_escape(v->comm, sizeof(v->comm), t->rows[i].s.comm, ST_COMM_LEN, ST_ESC_TEXT);
		if (top->ui.filter[0] && !strstr(v->comm, top->ui.filter))
			continue;
		v->r = &t->rows[i];
		v->open = p ? p->open : 0;
		n++;
	}
	sorting = top->ui.sort;
	qsort(out, n, sizeof(*out), by_key);
	return n;
}

static void help_screen(int cols)
{
	static const char *const text[] = {
		"socktrace --top: the keys",
		"",
		"  e  sort by events (connects, accepts, fails, UDP flows, closes): the default",
		"  c  sort by connects         a  sort by accepts        f  sort by fails",
		"  o  sort by open connections b  sort by bytes (TX+RX)",
		"  /  filter by name: type part of it, Enter applies, Esc cancels, an empty one shows all",
		"  Up/Down (j/k)  select a process; Enter shows its open connections and its",
		"                 recent closes and failures; Esc or Left goes back",
		"  p  pause: the screen stops changing (tracing goes on); p again resumes",
		"  h ?  this help (any key goes back)      q  quit (Ctrl-C too)",
		"",
		"OPEN counts the connections open now that socktrace saw open (or found existing):",
		"it is exact while no event is dropped (the header says how many were).",
		"The connections' STATE is the one the snapshot found them in; '-' for new ones.",
	};

	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		st_screen_line(cols, 0, "%s", text[i]);
}

static void list(struct st_top *top, const struct view_row *v, size_t n, int cols, int rows,
		 double dt)
{
	char tx[16], rx[16], rate[16], bps[16];

	st_screen_line(cols, 0, "%-7s %-16s %7s %8s %7s %5s %5s %5s %5s %7s %7s %s", "PID",
		       "COMM", "EV/s", "CONNECTS", "ACCEPTS", "FAILS", "OPEN", "UDP", "PEERS", "TX",
		       "RX", "TX+RX/s");
	if (top->ui.sel >= (int)n)
		top->ui.sel = n ? (int)n - 1 : 0;
	/* the selected row stays on the screen */
	int first = top->ui.sel >= rows ? top->ui.sel - rows + 1 : 0;

	for (size_t i = (size_t)first; i < n && (int)(i - (size_t)first) < rows; i++) {
		const struct st_row *r = v[i].r;
		const struct prev *p = find_prev(top, r->pid);
		__u64 act = st_activity(&r->s), bytes = r->s.tx_bytes + r->s.rx_bytes;

		st_human(tx, sizeof(tx), r->s.tx_bytes);
		st_human(rx, sizeof(rx), r->s.rx_bytes);
		/* a process new since the last tick did all of its work in it */
		snprintf(rate, sizeof(rate), "%.1f", (double)(act - (p ? p->activity : 0)) / dt);
		st_human(bps, sizeof(bps),
			 (unsigned long long)((double)(bytes - (p ? p->bytes : 0)) / dt));
		st_screen_line(cols, top->keys && (int)i == top->ui.sel ? ST_LINE_REV : 0,
			       "%-7u %-16s %7s %8llu %7llu %5llu %5u %5llu %5llu %7s %7s %s", r->pid,
			       v[i].comm, rate, (unsigned long long)r->s.connects,
			       (unsigned long long)r->s.accepts, (unsigned long long)r->s.fails,
			       v[i].open, (unsigned long long)(r->s.udp_flows + r->s.udp_in_flows),
			       (unsigned long long)r->s.peers, tx, rx, bps);
	}
}

/* the busiest ends over all processes, each named (--names) when the processes' events
 * named its address and agree */
static void peers_part(const struct st_peer_row *peers, size_t n_peers,
		       const struct st_peer_names *names, int cols)
{
	st_screen_line(cols, 0, "%s", "");
	st_screen_line(cols, 0, "%-46s %7s %s", "BUSIEST PEERS", "SOCKETS", "PROCESSES");
	for (size_t i = 0; i < n_peers; i++) {
		char ep[ST_BUSIEST_ENDPOINT_LEN];

		st_busiest_endpoint(ep, sizeof(ep), &peers[i],
				    st_peer_names_any(names, peers[i].k.family, peers[i].k.addr));
		st_screen_line(cols, 0, "%-46s %7llu %u", ep, (unsigned long long)peers[i].count,
			       peers[i].processes);
	}
}

/* the last line: the keys, or the filter being typed */
static void key_line(const struct st_top *top, int cols)
{
	if (top->ui.editing)
		st_screen_line(cols, ST_LINE_REV | ST_LINE_LAST, "filter by name: %s_   (Enter applies, Esc cancels)",
			       top->ui.line);
	else if (top->keys && top->ui.mode == ST_MODE_DETAIL)
		st_screen_line(cols, ST_LINE_REV | ST_LINE_LAST, "Esc/Left: back to the list  p: pause"
			       "  h: help  q: quit");
	else if (top->keys)
		st_screen_line(cols, ST_LINE_REV | ST_LINE_LAST, "e c a f o b: sort  /: filter  Up/Down Enter: connections"
			       "  p: pause  h: help  q: quit");
	else
		st_screen_line(cols, ST_LINE_LAST, "(no keys: stdin is not a terminal; Ctrl-C quits)");
}

/* remember this tick's totals for the next rates */
static void remember(struct st_top *top, const struct st_table *t, double now)
{
	struct prev *next = calloc(t->n ? t->n : 1, sizeof(*next));

	if (!next)
		return;
	for (size_t i = 0; i < t->n; i++) {
		next[i].pid = t->rows[i].pid;
		next[i].activity = st_activity(&t->rows[i].s);
		next[i].bytes = t->rows[i].s.tx_bytes + t->rows[i].s.rx_bytes;
	}
	qsort(next, t->n, sizeof(*next), by_pid);
	free(top->prev);
	top->prev = next;
	top->n_prev = t->n;
	top->prev_t = now;
}

int st_top_draw(struct st_top *top, const struct st_top_frame *f, bool tick)
{
	const struct st_table *t = f->t;
	double now = mono_s(), dt = now - top->prev_t;
	struct view_row *v = calloc(t->n ? t->n : 1, sizeof(*v));
	int cols, rows, body;
	size_t n;
	__u64 total = 0;

	if (!v)
		return 0;	/* this frame is skipped; the next may have memory */
	st_screen_size(&cols, &rows);
	if (dt <= 0)
		dt = 1;
	for (size_t i = 0; i < t->n; i++)
		total += st_activity(&t->rows[i].s);
	n = view(top, t, f->conns, v);
	/* Enter on the list: the selected row's process */
	if (top->ui.pick) {
		top->ui.pick = false;
		if (n) {
			top->ui.detail_pid = v[top->ui.sel < (int)n ? top->ui.sel : (int)n - 1].r->pid;
			top->ui.mode = ST_MODE_DETAIL;
		}
	}
	fputs("\033[H", stdout);
	st_screen_line(cols, 0, "socktrace --top  backend %s  %zu processes  %llu events  "
		       "%llu dropped  %zu open  sort: %s%s%s%s", f->backend, t->n,
		       (unsigned long long)total, f->dropped, st_conn_count(f->conns),
		       sort_names[top->ui.sort], top->ui.filter[0] ? "  filter: " : "",
		       top->ui.filter, top->ui.paused ? "  [paused]" : "");
	st_screen_line(cols, 0, "%s", "");
	body = rows - 3;	/* the header, a blank line and the key line */
	if (top->ui.mode == ST_MODE_HELP) {
		help_screen(cols);
	} else if (top->ui.mode == ST_MODE_DETAIL) {
		st_top_detail_draw(f->conns, &f->pv, top->ui.detail_pid, cols, body,
				   f->now_ns);
	} else {
		/* the busiest peers take the bottom: up to 5 lines and a title */
		int peer_lines = f->n_peers ? (int)f->n_peers + 2 : 0;

		list(top, v, n, cols, body - 1 - peer_lines, dt);
		if (f->n_peers)
			peers_part(f->peers, f->n_peers, f->pv.names, cols);
	}
	fputs("\033[J", stdout);	/* clear what the last frame left below */
	fprintf(stdout, "\033[%d;1H", rows);
	key_line(top, cols);
	free(v);
	if (tick)
		remember(top, t, now);
	return fflush(stdout) || ferror(stdout) ? -1 : 0;
}

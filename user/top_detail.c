// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include "addr.h"
#include "busiest_peers.h"
#include "escape.h"
#include "format.h"
#include "human.h"
#include "peer_counts.h"
#include "screen.h"
#include "top_detail.h"

#define CONNS_SHOWN	256	/* copied per frame at most; the count says the rest */

static const char *kind(__u8 type)
{
	switch (type) {
	case ST_EV_CONNECT: return "connect";
	case ST_EV_ACCEPT: return "accept";
	case ST_EV_LISTEN: return "listen";
	case ST_EV_CLOSE: return "close";
	case ST_EV_FAIL: return "fail";
	}
	return "?";
}

/* "12.3s", "4m05s", "2h03m", "3d04h" */
static void age(char *buf, size_t len, unsigned long long ns)
{
	unsigned long long s = ns / 1000000000ULL;

	if (s < 60)
		snprintf(buf, len, "%.1fs", (double)ns / 1e9);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%llud%02lluh", s / 86400, s % 86400 / 3600);
}

/* in lines lines (2 at least): the title, the newest connections, and how
 * many there are when not all fit */
static void conns_part(const struct st_conn_table *conns, __u32 pid, int cols, int lines,
		       long long now_ns)
{
	static struct st_conn c[CONNS_SHOWN];
	size_t n = st_conn_list(conns, pid, c, CONNS_SHOWN), shown = 0;
	size_t fit = (size_t)lines - 1;

	st_screen_line(cols, 0, "%-7s %-22s %-22s %-12s %s", "KIND", "LOCAL", "REMOTE",
		       "STATE", "AGE");
	if (n > fit)
		fit--;	/* the count's line */
	/* the newest first: the list is oldest first */
	for (size_t i = n < CONNS_SHOWN ? n : CONNS_SHOWN; i-- > 0 && shown < fit; shown++) {
		char l[ST_ADDR_LEN], r[ST_ADDR_LEN], a[24], st[24];

		st_format_endpoint(l, sizeof(l), c[i].family, c[i].laddr, c[i].lport);
		st_format_endpoint(r, sizeof(r), c[i].family, c[i].raddr, c[i].rport);
		if (c[i].type == ST_EV_LISTEN)
			snprintf(r, sizeof(r), "*");
		age(a + 1, sizeof(a) - 1, (unsigned long long)(now_ns - (long long)c[i].opened_ns));
		a[0] = '>';	/* a lower bound: socktrace's start, not the socket's */
		snprintf(st, sizeof(st), "%s", c[i].flags & ST_EVF_EXISTING ?
			 st_state_name(IPPROTO_TCP, c[i].state) : "-");
		st_screen_line(cols, 0, "%-7s %-22s %-22s %-12s %s", kind(c[i].type), l, r, st,
			       c[i].flags & ST_EVF_LOWER_BOUND ? a : a + 1);
	}
	if (shown < n)
		st_screen_line(cols, 0, "(%zu more: %zu open in all)", n - shown, n);
}

/* the title and up to lines - 1 of the recent ends, the newest first */
static void ends_part(const struct st_conn_proc *p, int cols, int lines, long long now_ns)
{
	st_screen_line(cols, 0, "%-7s %-22s %-22s %-8s %7s %7s %s", "ENDED", "LOCAL", "REMOTE",
		       "AGO", "TX", "RX", "DURATION/REASON");
	for (int i = 0; p && i < ST_CONN_RECENT && i < lines - 1; i++) {
		const struct st_conn_end *x = st_conn_recent(p, i);
		char l[ST_ADDR_LEN], r[ST_ADDR_LEN], ago[24], tx[16], rx[16], how[24];

		if (!x)
			break;
		st_format_endpoint(l, sizeof(l), x->family, x->laddr, x->lport);
		st_format_endpoint(r, sizeof(r), x->family, x->raddr, x->rport);
		age(ago, sizeof(ago), (unsigned long long)(now_ns - (long long)x->ts_ns));
		st_human(tx, sizeof(tx), x->tx_bytes);
		st_human(rx, sizeof(rx), x->rx_bytes);
		if (x->type == ST_EV_FAIL)
			snprintf(how, sizeof(how), "%s", st_reason_name(x->reason));
		else if (x->flags & ST_EVF_LATE)
			snprintf(how, sizeof(how), "late");
		else
			age(how, sizeof(how), x->duration_ns);
		st_screen_line(cols, 0, "%-7s %-22s %-22s %-8s %7s %7s %s", kind(x->type), l, r,
			       ago, tx, rx, how);
	}
}

void st_top_detail_draw(const struct st_conn_table *conns, const struct st_peer_view *pv,
			__u32 pid, int cols, int rows, long long now_ns)
{
	char peers[ST_PEER_TEXT_MAX * (ST_ESC_MAX(ST_COMM_LEN) + 32) + 16];
	char busiest[ST_BUSIEST_TEXT_LEN];
	const struct st_conn_proc *p = st_conn_proc(conns, pid);
	char comm[ST_ESC_MAX(ST_COMM_LEN)] = "?";
	/* the ends below take a blank line, their title and up to ST_CONN_RECENT */
	int ends = p ? (int)(p->ends < ST_CONN_RECENT ? p->ends : ST_CONN_RECENT) : 0;
	int conn_lines = rows - 4 - (2 + ends);

	if (conn_lines < 2)
		conn_lines = 2;
	if (p)
		st_escape(comm, sizeof(comm), p->comm, ST_COMM_LEN, ST_ESC_TEXT);
	st_screen_line(cols, 0, "PID %u  %s  open %u (existing %u)  listening %u  "
		       "closes and failures %llu", pid, comm, p ? p->open : 0, p ? p->existing : 0,
		       p ? p->listeners : 0, p ? (unsigned long long)p->ends : 0ULL);
	/* the processes here at the other end of its connections, the busiest first */
	st_peer_counts_text(peers, sizeof(peers), pv->local, pid, ST_PEER_TEXT_MAX);
	st_screen_line(cols, 0, "local peers %s", peers);
	/* the remote endpoints it opened the most sockets to, named when an answer named them */
	st_busiest_text(busiest, sizeof(busiest), pv->remote, pv->names, pid, ST_BUSIEST_TEXT_MAX);
	st_screen_line(cols, 0, "busiest peers %s", busiest);
	st_screen_line(cols, 0, "%s", "");
	conns_part(conns, pid, cols, conn_lines, now_ns);
	st_screen_line(cols, 0, "%s", "");
	ends_part(p, cols, rows - 4 - conn_lines - 1, now_ns);
}

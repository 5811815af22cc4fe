// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "addr.h"
#include "human.h"
#include "json.h"
#include "loop.h"
#include "map_walk.h"
#include "socktrace.h"
#include "udp_flows_summary.h"

struct flow_row {
	struct st_udp_key k;
	struct st_udp_val v;
};

struct flows {
	struct flow_row *rows;
	size_t n, cap;
	__u64 now_ns, idle_ns;	/* CLOCK_MONOTONIC, as the kernel's last_ns */
};

static int add_flow(const void *key, const void *value, void *ctx)
{
	const struct st_udp_val *v = value;
	struct flows *fl = ctx;

	/* idle past --udp-idle: ended, though the kernel keeps it until its next datagram */
	if ((long long)(fl->now_ns - v->last_ns) > (long long)fl->idle_ns)
		return 0;
	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? 2 * fl->cap : 64;
		struct flow_row *bigger = realloc(fl->rows, cap * sizeof(*bigger));

		if (!bigger)
			return 1;
		fl->rows = bigger;
		fl->cap = cap;
	}
	memcpy(&fl->rows[fl->n].k, key, sizeof(struct st_udp_key));
	memcpy(&fl->rows[fl->n].v, value, sizeof(struct st_udp_val));
	fl->n++;
	return 0;
}

/* busiest first; then by pid, for a stable order */
static int by_packets(const void *a, const void *b)
{
	const struct flow_row *x = a, *y = b;

	if (x->v.packets != y->v.packets)
		return x->v.packets < y->v.packets ? 1 : -1;
	return x->k.pid < y->k.pid ? -1 : x->k.pid > y->k.pid;
}

static void flow_json(FILE *f, const struct flow_row *r, long long epoch_ns)
{
	const struct st_flow *fl = &r->k.flow;
	char laddr[ST_ADDR_LEN], raddr[ST_ADDR_LEN];
	bool in = r->k.dir == ST_UDP_IN;
	struct st_json j;

	st_format_ip(laddr, sizeof(laddr), fl->family, fl->laddr);
	st_format_ip(raddr, sizeof(raddr), fl->family, fl->raddr);
	st_json_begin(&j, f);
	st_json_u64(&j, "ts", (unsigned long long)epoch_ns);
	st_json_str(&j, "event", "udp_flow", 8);
	st_json_u64(&j, "pid", r->k.pid);
	st_json_str(&j, "dir", in ? "in" : "out", in ? 2 : 3);
	st_json_u64(&j, "family", fl->family);
	st_json_str(&j, "laddr", laddr, strlen(laddr));
	st_json_u64(&j, "lport", fl->lport);
	st_json_str(&j, "raddr", raddr, strlen(raddr));
	st_json_u64(&j, "rport", fl->rport);
	st_json_u64(&j, "packets", r->v.packets);
	st_json_u64(&j, "bytes", r->v.bytes);
	st_json_end(&j);
}

static void flow_text(FILE *f, const struct flow_row *r)
{
	const struct st_flow *fl = &r->k.flow;
	char local[ST_ADDR_LEN], remote[ST_ADDR_LEN], bytes[16];

	st_format_endpoint(local, sizeof(local), fl->family, fl->laddr, fl->lport);
	st_format_endpoint(remote, sizeof(remote), fl->family, fl->raddr, fl->rport);
	if (r->k.dir == ST_UDP_IN && !fl->rport)	/* folded: every source port */
		strcpy(strrchr(remote, ':'), ":*");
	st_human(bytes, sizeof(bytes), r->v.bytes);
	fprintf(f, "%-7u %-3s %-24s %-24s %9llu %7s\n", r->k.pid,
		r->k.dir == ST_UDP_IN ? "in" : "out", local, remote,
		(unsigned long long)r->v.packets, bytes);
}

int st_print_udp_flows(FILE *f, int flows_fd, unsigned long long idle_ns, bool json,
		       long long epoch_ns)
{
	struct flows fl = { .now_ns = (__u64)st_now_ns(CLOCK_MONOTONIC), .idle_ns = idle_ns };
	int err = st_map_walk(flows_fd, sizeof(struct st_udp_key), sizeof(struct st_udp_val),
			      add_flow, &fl);

	if (err) {
		free(fl.rows);
		return err;
	}
	if (fl.n)	/* qsort() of no rows is given their NULL: undefined (UBSan) */
		qsort(fl.rows, fl.n, sizeof(*fl.rows), by_packets);
	if (!json && fl.n)
		fprintf(f, "\n%-7s %-3s %-24s %-24s %9s %7s\n", "PID", "DIR", "LOCAL", "REMOTE",
			"PACKETS", "BYTES");
	for (size_t i = 0; i < fl.n; i++) {
		if (json)
			flow_json(f, &fl.rows[i], epoch_ns);
		else if (i < ST_UDP_FLOWS_TEXT)
			flow_text(f, &fl.rows[i]);
	}
	if (!json && fl.n > ST_UDP_FLOWS_TEXT)
		fprintf(f, "(%zu more UDP flows)\n", fl.n - ST_UDP_FLOWS_TEXT);
	free(fl.rows);
	return 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "escape.h"
#include "json.h"
#include "summary.h"

__u64 st_activity(const struct st_proc_stats *s)
{
	return s->connects + s->accepts + s->fails + s->udp_flows + s->closes;
}

static int by_activity(const void *a, const void *b)
{
	const struct st_row *x = a, *y = b;
	__u64 ax = st_activity(&x->s), ay = st_activity(&y->s);
	__u64 bx = x->s.tx_bytes + x->s.rx_bytes, by = y->s.tx_bytes + y->s.rx_bytes;

	if (ax != ay)
		return ax < ay ? 1 : -1;
	if (bx != by)
		return bx < by ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static struct st_row *find_row(struct st_table *t, __u32 pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->rows[i].pid == pid)
			return &t->rows[i];
	return NULL;
}

static void add_port(struct st_row *r, __u16 port)
{
	int i, n = r->n_ports < ST_ROW_PORTS ? r->n_ports : ST_ROW_PORTS;

	for (i = 0; i < n; i++)
		if (r->ports[i] == port)
			return;
	r->n_ports++;
	if (n == ST_ROW_PORTS)
		return;
	for (i = n; i > 0 && r->ports[i - 1] > port; i--)
		r->ports[i] = r->ports[i - 1];
	r->ports[i] = port;
}

int st_table_read(int stats_fd, int listens_fd, __u32 max_procs, struct st_table *t)
{
	__u32 key = 0;
	struct st_listen_key lk, *lprev = NULL;
	bool first = true;
	size_t cap = 64;

	memset(t, 0, sizeof(*t));
	t->rows = calloc(cap, sizeof(*t->rows));
	if (!t->rows)
		return -ENOMEM;
	while (bpf_map_get_next_key(stats_fd, first ? NULL : &key, &key) == 0) {
		struct st_row *r;

		first = false;
		if (t->n == cap) {
			struct st_row *bigger = realloc(t->rows, 2 * cap * sizeof(*t->rows));

			if (!bigger)
				return -ENOMEM;
			t->rows = bigger;
			cap *= 2;
		}
		r = &t->rows[t->n];
		memset(r, 0, sizeof(*r));
		r->pid = key;
		if (bpf_map_lookup_elem(stats_fd, &key, &r->s) == 0)
			t->n++;
		if (t->n >= max_procs)
			break;
	}
	t->full = t->n >= max_procs;
	while (bpf_map_get_next_key(listens_fd, lprev, &lk) == 0) {
		struct st_row *r = find_row(t, lk.pid);

		if (r)
			add_port(r, lk.port);
		lprev = &lk;
	}
	qsort(t->rows, t->n, sizeof(*t->rows), by_activity);
	return 0;
}

void st_table_free(struct st_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}

size_t st_peers_top(int peers_fd, struct st_peer_row *out, size_t max)
{
	struct st_peer_key k, *prev = NULL;
	struct st_peer_row *all = NULL;
	size_t n_all = 0, cap = 0, n = 0;

	/* sum the sockets to each remote endpoint over all processes */
	while (bpf_map_get_next_key(peers_fd, prev, &k) == 0) {
		__u64 count = 0;
		size_t i;

		prev = &k;
		if (bpf_map_lookup_elem(peers_fd, &k, &count))
			continue;
		for (i = 0; i < n_all; i++)
			if (all[i].k.family == k.family && all[i].k.port == k.port &&
			    !memcmp(all[i].k.addr, k.addr, 16))
				break;
		if (i < n_all) {
			all[i].count += count;
			all[i].processes++;
			continue;
		}
		if (n_all == cap) {
			struct st_peer_row *bigger;

			cap = cap ? 2 * cap : 64;
			bigger = realloc(all, cap * sizeof(*all));
			if (!bigger)
				break;
			all = bigger;
		}
		all[n_all].k = k;
		all[n_all].count = count;
		all[n_all].processes = 1;
		n_all++;
	}
	/* the max busiest, most sockets first */
	for (size_t j = 0; j < n_all; j++) {
		size_t i;

		for (i = n; i > 0 && out[i - 1].count < all[j].count; i--)
			if (i < max)
				out[i] = out[i - 1];
		if (i < max) {
			out[i] = all[j];
			if (n < max)
				n++;
		}
	}
	free(all);
	return n;
}

void st_human(char *buf, size_t len, unsigned long long v)
{
	static const char unit[] = "KMGTP";
	double d = (double)v;
	int u = -1;

	if (v < 10000) {
		snprintf(buf, len, "%llu", v);
		return;
	}
	while (d >= 1000 && u < 4) {
		d /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f%c", d, unit[u]);
}

static void ports_text(char *buf, size_t len, const struct st_row *r)
{
	size_t o = 0;
	int n = r->n_ports < ST_ROW_PORTS ? r->n_ports : ST_ROW_PORTS;

	buf[0] = '\0';
	for (int i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? "," : "", r->ports[i]);
	if (r->n_ports > n && o < len)
		snprintf(buf + o, len - o, ",+%d", r->n_ports - n);
	if (!r->n_ports)
		snprintf(buf, len, "-");
}

void st_print_summary(FILE *f, const struct st_table *t, bool json, long long epoch_ns)
{
	char comm[ST_ESC_MAX(ST_COMM_LEN)], tx[16], rx[16], ports[96];

	if (!json)
		fprintf(f, "%-7s %-16s %8s %7s %5s %5s %5s %7s %7s %s\n", "PID", "COMM", "CONNECTS",
			"ACCEPTS", "FAILS", "UDP", "PEERS", "TX", "RX", "LISTEN");
	for (size_t i = 0; i < t->n; i++) {
		const struct st_row *r = &t->rows[i];
		const struct st_proc_stats *s = &r->s;

		if (json) {
			struct st_json j;
			int n = r->n_ports < ST_ROW_PORTS ? r->n_ports : ST_ROW_PORTS;

			st_json_begin(&j, f);
			st_json_u64(&j, "ts", (unsigned long long)epoch_ns);
			st_json_str(&j, "event", "summary", 7);
			st_json_u64(&j, "pid", r->pid);
			st_json_u64(&j, "uid", s->uid);
			st_json_str(&j, "comm", s->comm, ST_COMM_LEN);
			st_json_u64(&j, "connects", s->connects);
			st_json_u64(&j, "accepts", s->accepts);
			st_json_u64(&j, "fails", s->fails);
			st_json_u64(&j, "closes", s->closes);
			st_json_u64(&j, "udp_flows", s->udp_flows);
			st_json_u64(&j, "udp_packets", s->udp_packets);
			st_json_u64(&j, "peers", s->peers);
			st_json_u64(&j, "tx_bytes", s->tx_bytes);
			st_json_u64(&j, "rx_bytes", s->rx_bytes);
			st_json_array(&j, "listen_ports");
			for (int p = 0; p < n; p++)
				st_json_u64(&j, NULL, r->ports[p]);
			st_json_close(&j);
			st_json_end(&j);
			continue;
		}
		st_escape(comm, sizeof(comm), s->comm, ST_COMM_LEN, ST_ESC_TEXT);
		st_human(tx, sizeof(tx), s->tx_bytes);
		st_human(rx, sizeof(rx), s->rx_bytes);
		ports_text(ports, sizeof(ports), r);
		fprintf(f, "%-7u %-16s %8llu %7llu %5llu %5llu %5llu %7s %7s %s\n", r->pid, comm,
			(unsigned long long)s->connects, (unsigned long long)s->accepts,
			(unsigned long long)s->fails, (unsigned long long)s->udp_flows,
			(unsigned long long)s->peers, tx, rx, ports);
	}
	if (t->full && !json)
		fprintf(f, "(the process table is full: the least recently active were evicted)\n");
}

size_t st_udp_expire(int flows_fd, __u64 now_mono_ns, __u64 idle_ns)
{
	struct st_udp_key k, *prev = NULL, *old = NULL;
	size_t n = 0, cap = 0;
	struct st_udp_val v;

	while (bpf_map_get_next_key(flows_fd, prev, &k) == 0) {
		if (bpf_map_lookup_elem(flows_fd, &k, &v) == 0 && v.last_ns + idle_ns <= now_mono_ns) {
			if (n == cap) {
				struct st_udp_key *bigger;

				cap = cap ? 2 * cap : 64;
				bigger = realloc(old, cap * sizeof(*old));
				if (!bigger)
					break;
				old = bigger;
			}
			old[n++] = k;
		}
		prev = &k;
	}
	for (size_t i = 0; i < n; i++)
		bpf_map_delete_elem(flows_fd, &old[i]);
	free(old);
	return n;
}

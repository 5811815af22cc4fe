// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <netinet/in.h>
#include "busiest_peers.h"
#include "conn_table.h"
#include "escape.h"
#include "human.h"
#include "json.h"
#include "peer_counts.h"
#include "peer_names.h"
#include "summary.h"

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

void st_summary_counters_json(struct st_json *j, const struct st_proc_stats *s)
{
	st_json_u64(j, "connects", s->connects);
	st_json_u64(j, "accepts", s->accepts);
	st_json_u64(j, "fails", s->fails);
	st_json_u64(j, "closes", s->closes);
	st_json_u64(j, "udp_flows", s->udp_flows);
	st_json_u64(j, "udp_packets", s->udp_packets);
	st_json_u64(j, "udp_in_flows", s->udp_in_flows);
	st_json_u64(j, "udp_rx_packets", s->udp_rx_packets);
	st_json_u64(j, "udp_rx_bytes", s->udp_rx_bytes);
	st_json_u64(j, "udp_rx_unmatched", s->udp_rx_unmatched);
	st_json_u64(j, "peers", s->peers);
	st_json_u64(j, "tx_bytes", s->tx_bytes);
	st_json_u64(j, "rx_bytes", s->rx_bytes);
}

/* the existing sockets still open, by state: "ESTAB:2,CLOSE-WAIT:5", or "-" */
static void states_text(char *buf, size_t len, const struct st_conn_proc *p)
{
	size_t o = 0;

	snprintf(buf, len, "-");
	for (unsigned s = 0; p && s < ST_TCP_STATES && o < len; s++)
		if (p->states[s])
			o += (size_t)snprintf(buf + o, len - o, "%s%s:%u", o ? "," : "",
					      st_state_name(IPPROTO_TCP, s), p->states[s]);
}

static void states_json(struct st_json *j, const struct st_conn_proc *p)
{
	st_json_object(j, "existing_states");
	for (unsigned s = 0; p && s < ST_TCP_STATES; s++)
		if (p->states[s])
			st_json_u64(j, st_state_name(IPPROTO_TCP, s), p->states[s]);
	st_json_close(j);
}

#define LOCAL_TEXT	3	/* local peers in the LOCAL column; the rest counted, "+2" */
#define LOCAL_JSON	16	/* in local_peers; the rest counted in local_peers_more */

static void local_json(struct st_json *j, const struct st_peer_counts *local, __u32 pid)
{
	struct st_peer_count c[LOCAL_JSON];
	size_t n = st_peer_counts_of(local, pid, c, LOCAL_JSON);

	st_json_array(j, "local_peers");
	for (size_t i = 0; i < n && i < LOCAL_JSON; i++) {
		st_json_object(j, NULL);
		st_json_u64(j, "pid", c[i].peer.pid);
		st_json_str(j, "comm", c[i].peer.comm, ST_COMM_LEN);
		st_json_u64(j, "connections", c[i].connections);
		st_json_close(j);
	}
	st_json_close(j);
	if (n > LOCAL_JSON)
		st_json_u64(j, "local_peers_more", n - LOCAL_JSON);
}

/* what the open-connections table could not hold, and why OPEN may be off */
static void conns_notes(FILE *f, const struct st_conn_table *c, unsigned long long dropped)
{
	const struct st_conn_stats *s = st_conn_table_stats(c);

	if (dropped)
		fprintf(f, "(%llu events dropped: OPEN may be off)\n", dropped);
	if (s->evicted || s->untracked)
		fprintf(f, "(open connections not held: %llu evicted, the oldest, past %u; %llu "
			"with no room for their process)\n", (unsigned long long)s->evicted,
			ST_CONN_MAX, (unsigned long long)s->untracked);
}

#define BUSIEST_TEXT	1	/* remote endpoints in the BUSIEST column; the rest counted */

void st_print_summary(FILE *f, const struct st_table *t, const struct st_conn_table *conns,
		      const struct st_peer_view *pv, bool json, long long epoch_ns,
		      unsigned long long dropped)
{
	char comm[ST_ESC_MAX(ST_COMM_LEN)], tx[16], rx[16], ports[96], states[256];
	char peers[LOCAL_TEXT * (ST_ESC_MAX(ST_COMM_LEN) + 32) + 16];
	char busiest[ST_BUSIEST_TEXT_LEN];
	const struct st_peer_counts *local = pv ? pv->local : NULL;

	if (!json)
		fprintf(f, "%-7s %-16s %8s %7s %5s %5s %5s %5s %7s %7s %-12s %-16s %-36s %s\n",
			"PID", "COMM", "CONNECTS", "ACCEPTS", "FAILS", "OPEN", "UDP", "PEERS", "TX",
			"RX", "LISTEN", "EXISTING", "BUSIEST", "LOCAL");
	for (size_t i = 0; i < t->n; i++) {
		const struct st_row *r = &t->rows[i];
		const struct st_proc_stats *s = &r->s;
		const struct st_conn_proc *cp = st_conn_proc(conns, r->pid);
		unsigned open = cp ? cp->open : 0;

		if (json) {
			struct st_json j;
			int n = r->n_ports < ST_ROW_PORTS ? r->n_ports : ST_ROW_PORTS;

			st_json_begin(&j, f);
			st_json_u64(&j, "ts", (unsigned long long)epoch_ns);
			st_json_str(&j, "event", "summary", 7);
			st_json_u64(&j, "pid", r->pid);
			st_json_u64(&j, "uid", s->uid);
			st_json_str(&j, "comm", s->comm, ST_COMM_LEN);
			st_summary_counters_json(&j, s);
			st_json_u64(&j, "open", open);
			st_json_u64(&j, "existing_open", cp ? cp->existing : 0);
			states_json(&j, cp);
			st_json_array(&j, "listen_ports");
			for (int p = 0; p < n; p++)
				st_json_u64(&j, NULL, r->ports[p]);
			st_json_close(&j);
			st_busiest_json(&j, pv ? pv->remote : NULL, pv ? pv->names : NULL, r->pid);
			local_json(&j, local, r->pid);
			st_json_end(&j);
			continue;
		}
		st_escape(comm, sizeof(comm), s->comm, ST_COMM_LEN, ST_ESC_TEXT);
		st_human(tx, sizeof(tx), s->tx_bytes);
		st_human(rx, sizeof(rx), s->rx_bytes);
		ports_text(ports, sizeof(ports), r);
		states_text(states, sizeof(states), cp);
		st_peer_counts_text(peers, sizeof(peers), local, r->pid, LOCAL_TEXT);
		st_busiest_text(busiest, sizeof(busiest), pv ? pv->remote : NULL,
				pv ? pv->names : NULL, r->pid, BUSIEST_TEXT);
		fprintf(f, "%-7u %-16s %8llu %7llu %5llu %5u %5llu %5llu %7s %7s %-12s %-16s %-36s "
			"%s\n", r->pid, comm, (unsigned long long)s->connects,
			(unsigned long long)s->accepts, (unsigned long long)s->fails, open,
			(unsigned long long)(s->udp_flows + s->udp_in_flows),
			(unsigned long long)s->peers, tx, rx, ports, states, busiest, peers);
	}
	if (json)
		return;
	if (t->full)
		fprintf(f, "(the process table is full: the least recently active were evicted)\n");
	if (conns)
		conns_notes(f, conns, dropped);
	if (st_peer_counts_untracked(local))
		fprintf(f, "(local peers not counted: %llu connections, past %u pairs of "
			"processes)\n", st_peer_counts_untracked(local), ST_PEER_COUNTS_MAX);
	if (pv && st_peer_names_unkept(pv->names))
		fprintf(f, "(names of busiest peers not kept: %llu, past %u pairs of process and "
			"address)\n", st_peer_names_unkept(pv->names), ST_PEER_NAMES_MAX);
}

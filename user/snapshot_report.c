// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "json.h"
#include "snapshot_report.h"
#include "tcp_states.h"

static unsigned long long total(const struct st_snapshot_counts *c)
{
	unsigned long long n = 0;

	for (int k = 0; k < ST_EV_MAX; k++)
		n += c->kinds[k];
	return n;
}

/* SYN-RECV is a full socket's state (3) or a request's (12): one count */
static void merge(unsigned long long *merged, const unsigned long long *by_state)
{
	memcpy(merged, by_state, sizeof(merged[0]) * ST_TCP_STATES);
	merged[3] += merged[12];
	merged[12] = 0;
}

/* " ESTAB 2, CLOSE-WAIT 1" of counts by TCP state */
static void states_text(char *buf, size_t len, const unsigned long long *counts)
{
	unsigned long long by_state[ST_TCP_STATES];
	size_t o = 0;

	merge(by_state, counts);
	buf[0] = '\0';
	for (unsigned s = 1; s < ST_TCP_STATES && o < len; s++)
		if (by_state[s])
			o += (size_t)snprintf(buf + o, len - o, "%s %s %llu", o ? "," : "",
					      st_state_name(6, s), by_state[s]);
}

void st_snapshot_report(FILE *f, const struct st_snapshot_counts *c)
{
	char held[256], unheld[256];

	if (!c->done)
		return;
	states_text(held, sizeof(held), c->tcp);
	states_text(unheld, sizeof(unheld), c->unheld_tcp);
	fprintf(f, "socktrace: existing: %llu sockets (%llu listen, %llu accept, %llu connect, "
		"%llu udp) in %u network namespaces, in %lld.%03lld ms%s%s\n", total(c),
		c->kinds[ST_EV_LISTEN], c->kinds[ST_EV_ACCEPT], c->kinds[ST_EV_CONNECT],
		c->kinds[ST_EV_UDP], c->netns, c->took_ns / 1000000, c->took_ns / 1000 % 1000,
		held[0] ? "; TCP:" : "", held);
	if (unheld[0] || c->unheld_udp)
		fprintf(f, "socktrace: existing, held by no process (not streamed):%s%s udp %llu\n",
			unheld, unheld[0] ? ";" : "", c->unheld_udp);
	if (c->netns_failed)
		fprintf(f, "socktrace: %u network namespaces could not be entered: their sockets "
			"are not in the snapshot\n", c->netns_failed);
	if (c->claims_done)
		fprintf(f, "socktrace: existing: the snapshot's %llu claims (live vs existing) "
			"emptied after it%s\n", c->claims_emptied,
			c->claims_in_kernel ? ", in the kernel" : "");
	if (c->full)
		fprintf(f, "socktrace: %llu existing sockets left out: a map of the snapshot was "
			"full\n", c->full);
}

/* one key a state with a count: prefix "tcp_" or "unheld_tcp_" and ss's word ("tcp_CLOSE-WAIT") */
static void states_json(struct st_json *j, const char *prefix, const unsigned long long *counts)
{
	unsigned long long by_state[ST_TCP_STATES];
	char key[48];

	merge(by_state, counts);
	for (unsigned s = 1; s < ST_TCP_STATES; s++)
		if (by_state[s]) {
			snprintf(key, sizeof(key), "%s%s", prefix, st_state_name(6, s));
			st_json_u64(j, key, by_state[s]);
		}
}

void st_print_snapshot_summary(FILE *f, const struct st_snapshot_counts *c, bool json,
			       long long epoch_ns)
{
	struct st_json j;

	if (!c->done)
		return;
	if (!json) {
		fputc('\n', f);
		st_snapshot_report(f, c);
		return;
	}
	st_json_begin(&j, f);
	st_json_u64(&j, "ts", (unsigned long long)epoch_ns);
	st_json_str(&j, "event", "existing", 8);
	st_json_u64(&j, "sockets", total(c));
	st_json_u64(&j, "listens", c->kinds[ST_EV_LISTEN]);
	st_json_u64(&j, "accepts", c->kinds[ST_EV_ACCEPT]);
	st_json_u64(&j, "connects", c->kinds[ST_EV_CONNECT]);
	st_json_u64(&j, "udp", c->kinds[ST_EV_UDP]);
	states_json(&j, "tcp_", c->tcp);
	st_json_u64(&j, "udp_UNCONN", c->udp[0]);
	st_json_u64(&j, "udp_ESTAB", c->udp[1]);
	states_json(&j, "unheld_tcp_", c->unheld_tcp);
	st_json_u64(&j, "unheld_udp", c->unheld_udp);
	st_json_u64(&j, "netns", c->netns);
	st_json_u64(&j, "netns_failed", c->netns_failed);
	st_json_u64(&j, "left_out", c->full);
	st_json_u64(&j, "took_ns", (unsigned long long)c->took_ns);
	st_json_end(&j);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "metrics.h"

const char *const st_mreason_names[ST_MR_N] = {
	[ST_MR_REFUSED] = "refused",
	[ST_MR_TIMEOUT] = "timeout",
	[ST_MR_UNREACHABLE] = "unreachable",
	[ST_MR_OTHER] = "other",
};

const double st_mdur_le[ST_MDUR_N] = { 0.001, 0.005, 0.025, 0.1, 0.5, 1, 5, 30, 300, 3600 };

int st_metrics_init(struct st_metrics *m, size_t max_series)
{
	size_t cap = 16;

	memset(m, 0, sizeof(*m));
	while (cap < max_series * 2)	/* at most half full: short probes */
		cap <<= 1;
	m->slots = calloc(cap, sizeof(*m->slots));
	if (!m->slots)
		return -ENOMEM;
	m->cap = cap;
	m->max_series = max_series;
	memcpy(m->other.comm, "other", 6);
	return 0;
}

void st_metrics_free(struct st_metrics *m)
{
	free(m->slots);
	m->slots = NULL;
}

/* FNV-1a over the 16 NUL-padded bytes */
static size_t hash(const char *k)
{
	__u64 h = 0xcbf29ce484222325ULL;

	for (int i = 0; i < ST_COMM_LEN; i++)
		h = (h ^ (unsigned char)k[i]) * 0x100000001b3ULL;
	return (size_t)h;
}

struct st_mseries *st_metrics_series(struct st_metrics *m, const char *comm)
{
	char key[ST_COMM_LEN] = "";
	size_t i;

	/* the event's comm may lack its NUL; bytes after a NUL are not the name */
	for (int j = 0; j < ST_COMM_LEN && comm[j]; j++)
		key[j] = comm[j];
	if (!key[0])
		key[0] = '?';	/* "" marks a free slot */
	if (!memcmp(key, m->other.comm, ST_COMM_LEN)) {
		m->other_used = 1;
		return &m->other;	/* one series "other", also for a process of that name */
	}
	for (i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct st_mseries *s = &m->slots[i];

		if (!memcmp(s->comm, key, ST_COMM_LEN))
			return s;
		if (!s->comm[0])
			break;
	}
	if (m->n >= m->max_series) {
		m->overflow++;
		m->other_used = 1;
		return &m->other;
	}
	m->n++;
	memcpy(m->slots[i].comm, key, ST_COMM_LEN);
	return &m->slots[i];
}

static enum st_mreason reason_of(int err)
{
	switch (err) {
	case ECONNREFUSED: return ST_MR_REFUSED;
	case ETIMEDOUT: return ST_MR_TIMEOUT;
	case EHOSTUNREACH:
	case ENETUNREACH: return ST_MR_UNREACHABLE;
	}
	return ST_MR_OTHER;
}

void st_metrics_event(struct st_metrics *m, const struct st_event *e)
{
	struct st_mseries *s;

	if (e->type >= ST_EV_MAX)
		return;
	m->events[e->type]++;
	s = st_metrics_series(m, e->comm);
	switch (e->type) {
	case ST_EV_CONNECT: s->connects++; break;
	case ST_EV_ACCEPT: s->accepts++; break;
	case ST_EV_LISTEN: s->listens++; break;
	case ST_EV_UDP: s->udp_flows++; break;
	case ST_EV_FAIL: s->fails[reason_of(e->reason)]++; break;
	case ST_EV_CLOSE:
		s->closes++;
		if (e->flags & ST_EVF_LATE) {	/* duration and bytes unknown */
			m->closes_late++;
			break;
		}
		s->tx_bytes += e->tx_bytes;
		s->rx_bytes += e->rx_bytes;
		s->dur_count++;
		s->dur_sum_ns += e->duration_ns;
		for (int b = 0; b < ST_MDUR_N; b++) {
			if ((double)e->duration_ns <= st_mdur_le[b] * 1e9) {
				s->dur_bucket[b]++;
				break;
			}
		}
		break;
	}
}

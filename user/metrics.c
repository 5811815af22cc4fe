// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "fnv.h"
#include "metrics.h"
#include "parse.h"

const char *const st_mlabel_names[ST_ML_N] = {
	[ST_ML_COMM] = "comm",
	[ST_ML_CONTAINER] = "container",
	[ST_ML_UNIT] = "unit",
	[ST_ML_POD] = "pod",
};

int st_mlabels_parse(const char *s, unsigned *labels, char *err, size_t errlen)
{
	char q[ST_QUOTE_LEN];
	unsigned got = 0;

	for (const char *p = s;; p++) {
		size_t n = strcspn(p, ",");
		int l;

		for (l = 0; l < ST_ML_N; l++)
			if (n == strlen(st_mlabel_names[l]) && !strncmp(p, st_mlabel_names[l], n))
				break;
		if (l == ST_ML_N || (got & ST_ML_BIT(l))) {
			snprintf(err, errlen, "%s metrics label '%s': expected a list of "
				 "comm, container, unit and pod", l == ST_ML_N ? "unknown" : "repeated",
				 st_quote(p, n, q, sizeof(q)));
			return -1;
		}
		got |= ST_ML_BIT(l);
		p += n;
		if (!*p)
			break;
	}
	*labels = got;
	return 0;
}

const char *const st_mreason_names[ST_MR_N] = {
	[ST_MR_REFUSED] = "refused",
	[ST_MR_TIMEOUT] = "timeout",
	[ST_MR_UNREACHABLE] = "unreachable",
	[ST_MR_OTHER] = "other",
};

const double st_mdur_le[ST_MDUR_N] = { 0.001, 0.005, 0.025, 0.1, 0.5, 1, 5, 30, 300, 3600 };

int st_metrics_init(struct st_metrics *m, size_t max_series, unsigned labels)
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
	m->labels = labels;
	memcpy(m->other.comm, "other", 6);
	m->other.used = 1;
	return 0;
}

void st_metrics_free(struct st_metrics *m)
{
	for (size_t i = 0; m->slots && i < m->cap; i++)
		free(m->slots[i].rest);
	free(m->slots);
	m->slots = NULL;
}

/* FNV-1a over the 16 NUL-padded bytes of the comm and the rest */
static size_t hash(const char *k, const char *rest, size_t rest_len)
{
	return (size_t)st_fnv64(st_fnv64(ST_FNV64_BASIS, k, ST_COMM_LEN), rest, rest_len);
}

/* the chosen cgroup labels of id into rest (ST_MREST_MAX): its length, 0 when all empty */
static size_t rest_of(unsigned labels, const struct st_cg_ident *id, char *rest)
{
	const char *v[3] = { "", "", "" };
	size_t n = 0;

	if (!id)
		return 0;
	if (labels & ST_ML_BIT(ST_ML_CONTAINER))
		v[0] = id->container;
	if (labels & ST_ML_BIT(ST_ML_UNIT))
		v[1] = id->unit;
	if (labels & ST_ML_BIT(ST_ML_POD))
		v[2] = id->pod;
	if (!v[0][0] && !v[1][0] && !v[2][0])
		return 0;
	/* each field is NUL-terminated within its bound (cgroup_parse.h) */
	n += (size_t)sprintf(rest + n, "%.*s", ST_CG_ID_MAX, v[0]) + 1;
	n += (size_t)sprintf(rest + n, "%.*s", ST_CG_UNIT_MAX, v[1]) + 1;
	n += (size_t)sprintf(rest + n, "%.*s", ST_CG_POD_MAX, v[2]) + 1;
	return n;
}

static struct st_mseries *overflow(struct st_metrics *m)
{
	m->overflow++;
	m->other_used = 1;
	return &m->other;
}

struct st_mseries *st_metrics_series(struct st_metrics *m, const char *comm,
				     const struct st_cg_ident *id)
{
	char key[ST_COMM_LEN] = "", rest[ST_MREST_MAX];
	size_t i, rest_len = rest_of(m->labels, id, rest);
	struct st_mseries *s;

	if (m->labels & ST_ML_BIT(ST_ML_COMM)) {
		/* the event's comm may lack its NUL; bytes after a NUL are not the name */
		for (int j = 0; j < ST_COMM_LEN && comm[j]; j++)
			key[j] = comm[j];
		if (!key[0])
			key[0] = '?';	/* a name, never the key of no comm */
	}
	if (!rest_len && !memcmp(key, m->other.comm, ST_COMM_LEN)) {
		m->other_used = 1;
		return &m->other;	/* one series "other", also for a process of that name */
	}
	for (i = hash(key, rest, rest_len) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		s = &m->slots[i];
		if (!s->used)
			break;
		if (!memcmp(s->comm, key, ST_COMM_LEN) && s->rest_len == rest_len &&
		    (!rest_len || !memcmp(s->rest, rest, rest_len)))
			return s;
	}
	if (m->n >= m->max_series)
		return overflow(m);
	if (rest_len) {
		if (!(s->rest = malloc(rest_len)))
			return overflow(m);	/* counted, not lost */
		memcpy(s->rest, rest, rest_len);
	}
	m->n++;
	s->used = 1;
	s->rest_len = rest_len;
	memcpy(s->comm, key, ST_COMM_LEN);
	return s;
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

void st_metrics_event(struct st_metrics *m, const struct st_event *e,
		      const struct st_cg_ident *id)
{
	struct st_mseries *s;

	if (e->type >= ST_EV_MAX)
		return;
	m->events[e->type]++;
	s = st_metrics_series(m, e->comm, id);
	switch (e->type) {
	case ST_EV_CONNECT: s->connects++; break;
	case ST_EV_ACCEPT: s->accepts++; break;
	case ST_EV_LISTEN: s->listens++; break;
	case ST_EV_UDP:
		if (e->flags & ST_EVF_IN)
			s->udp_flows_in++;
		else
			s->udp_flows++;
		break;
	case ST_EV_FAIL:	/* a UDP connect() that failed is no TCP failure */
		if (e->proto != IPPROTO_UDP)
			s->fails[reason_of(e->reason)]++;
		break;
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

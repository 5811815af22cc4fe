// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: what DNS adds to socktrace's JSON lines (README, "DNS answers"):
 * the dns events, and the rname of an event whose remote address an answer
 * gave. Names come decoded, byte for byte, for an exact comparison.
 */
#include <stdio.h>
#include <string.h>
#include "../jsonl.h"
#include "parse_dns.h"
#include "util.h"

/* a dns line whose asker socktrace saw: these keys first, in this order */
static const char *const dns_keys[] = {
	"ts", "event", "pid", "tid", "uid", "comm", "netns", "proto", "family", "laddr", "lport",
	"raddr", "rport", "id", "qname", "qtype", "rcode", "answers",
};
#define N_DNS_KEYS	((int)(sizeof(dns_keys) / sizeof(dns_keys[0])))

/* then, each only when it applies, in this order */
static const char *const dns_more[] = { "cnames", "answers_not_shown", "latency_ns", "truncated" };

/* a decoded string member into dst (len bytes): 0, or -1 if it does not fit as C text */
static int text_of(const struct jl_member *m, char *dst, size_t len)
{
	if (m->type != JL_STR || m->wide || m->len >= len || strlen(m->str) != m->len)
		return -1;
	memcpy(dst, m->str, m->len + 1);
	return 0;
}

int take_rname(struct jl_object *o, int at, struct ev *e)
{
	if (o->n <= at || strcmp(o->m[at].key, "rname"))
		return 0;
	if (text_of(&o->m[at], e->rname, sizeof(e->rname)) || !e->rname[0])
		return -1;
	memmove(&o->m[at], &o->m[at + 1], (size_t)(o->n - at - 1) * sizeof(o->m[0]));
	o->n--;
	return 0;
}

/* one {"addr":"A","ttl":N} of the answers array, as "A/N" after what out holds */
static int answer_of(const char *text, size_t n, char *out, size_t len)
{
	static struct jl_object a;	/* large: not on the stack */
	char buf[256], err[160];
	size_t used = strlen(out);

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (jl_parse(buf, &a, err, sizeof(err)) || a.n != 2 || strcmp(a.m[0].key, "addr") ||
	    a.m[0].type != JL_STR || a.m[0].wide || strcmp(a.m[1].key, "ttl") || !a.m[1].is_uint)
		return -1;
	return snprintf(out + used, len - used, "%s%s/%llu", used ? "," : "", a.m[0].str,
			a.m[1].u) < (int)(len - used) ? 0 : -1;
}

/* the answers array's raw text (already strict JSON) as "A/N,A/N" */
static int answers_of(const char *raw, char *out, size_t len)
{
	int depth = 0, in_str = 0;
	const char *start = NULL;

	out[0] = '\0';
	for (const char *p = raw; *p; p++) {
		if (in_str) {
			if (*p == '\\')
				p++;	/* the escaped character, whatever it is */
			else if (*p == '"')
				in_str = 0;
			continue;
		}
		if (*p == '"') {
			in_str = 1;
		} else if (*p == '{' && depth++ == 1) {
			start = p;
		} else if (*p == '}' && --depth == 1) {
			if (answer_of(start, (size_t)(p + 1 - start), out, len))
				return -1;
		} else if (*p == '[') {
			depth++;
		} else if (*p == ']') {
			depth--;
		} else if (depth == 1 && *p != ',' && *p != ' ') {
			return -1;	/* an element that is not an object */
		}
	}
	return 0;
}

/* the optional keys from o's member at on into e: 0, or -1 if unknown or out of order */
static int dns_tail(const struct jl_object *o, int at, struct ev *e)
{
	size_t used = strlen(e->answers);
	int k = 0;

	for (int m = at; m < o->n; m++) {
		const struct jl_member *x = &o->m[m];

		while (k < 4 && strcmp(x->key, dns_more[k]))
			k++;
		if (k == 4 || (k < 3 ? !x->is_uint : x->type != JL_BOOL || !x->u))
			return -1;
		if (k == 2) {
			e->latency = true;
			continue;
		}
		/* what the expected events never have: shown where the answers are */
		used += (size_t)snprintf(e->answers + used, sizeof(e->answers) - used, " %s",
					 dns_more[k]);
		if (k < 2 && used < sizeof(e->answers))
			used += (size_t)snprintf(e->answers + used, sizeof(e->answers) - used,
						 "=%llu", x->u);
		if (used >= sizeof(e->answers))
			return -1;
	}
	return 0;
}

int parse_dns(const struct jl_object *o, unsigned long long netns, long long t0, long long t1,
	      struct ev *e, char *why, size_t len)
{
	const struct jl_member *m = o->m;

	if (o->n < 3 || strcmp(m[2].key, "pid"))
		return 0;	/* an answer whose query socktrace did not see: no asker */
	for (int k = 0; k < N_DNS_KEYS; k++) {
		bool is_str = k == 1 || k == 5 || k == 7 || k == 9 || k == 11 || (k >= 14 && k <= 16);
		bool ok = k < o->n && !strcmp(m[k].key, dns_keys[k]) &&
			  (k == 17 ? m[k].type == JL_ARRAY : is_str ? m[k].type == JL_STR : m[k].is_uint);

		if (!ok) {
			snprintf(why, len, "dns key %d should be %s", k, dns_keys[k]);
			return -1;
		}
	}
	if (m[6].u != netns)
		return 0;
	if ((long long)m[0].u < t0 || (long long)m[0].u > t1) {
		snprintf(why, len, "ts %llu is outside the run [%lld, %lld]", m[0].u, t0, t1);
		return -1;
	}
	memset(e, 0, sizeof(*e));
	copy_str(e->event, sizeof(e->event), "dns");
	e->pid = (unsigned)m[2].u;
	e->tid = (unsigned)m[3].u;
	e->uid = (unsigned)m[4].u;
	e->family = (unsigned)m[8].u;
	e->lport = (unsigned)m[10].u;
	e->rport = (unsigned)m[12].u;
	e->dns_id = (unsigned)m[13].u;
	if (text_of(&m[5], e->comm, sizeof(e->comm)) || text_of(&m[7], e->proto, sizeof(e->proto)) ||
	    text_of(&m[9], e->laddr, sizeof(e->laddr)) ||
	    text_of(&m[11], e->raddr, sizeof(e->raddr)) ||
	    text_of(&m[14], e->qname, sizeof(e->qname)) ||
	    text_of(&m[15], e->qtype, sizeof(e->qtype)) ||
	    text_of(&m[16], e->rcode, sizeof(e->rcode)) ||
	    answers_of(m[17].raw, e->answers, sizeof(e->answers)) || dns_tail(o, N_DNS_KEYS, e)) {
		snprintf(why, len, "bad dns values");
		return -1;
	}
	if (e->tid != e->pid) {
		snprintf(why, len, "tid %u is not the pid", e->tid);
		return -1;
	}
	return 1;
}

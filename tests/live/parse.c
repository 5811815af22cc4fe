// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../jsonl.h"
#include "parse.h"
#include "parse_dns.h"
#include "util.h"

static const char *const json_keys[] = {
	"ts", "event", "pid", "tid", "uid", "comm", "proto", "family", "laddr", "lport",
	"raddr", "rport", "cookie", "netns", "cgroup",
};

/* the keys every line has, then those of some kinds of line after them */
#define N_KEYS		((int)(sizeof(json_keys) / sizeof(json_keys[0])))
#define RNAME_AT	12	/* rname, when a DNS answer named raddr: after rport */
#define N_CLOSE_KEYS	(N_KEYS + 3)	/* duration_ns, tx_bytes, rx_bytes */
#define N_LATE_KEYS	(N_KEYS + 1)	/* a late close: late, no durations or bytes */
#define N_FAIL_KEYS	(N_KEYS + 1)	/* reason */
#define N_UDP_KEYS	(N_KEYS + 1)	/* dir; and folded, on a folded received flow */

/* the cgroup's keys after all others, each when known, in this order */
static const char *const cgroup_keys[] = { "cgroup_path", "container", "pod", "unit" };

/* how many of the last members are the cgroup's keys: -1 if out of order or not strings */
static int cgroup_members(const struct jl_object *o)
{
	int first = o->n, k = 0;

	while (first > 0) {
		int i;

		for (i = 0; i < 4 && strcmp(o->m[first - 1].key, cgroup_keys[i]); i++)
			;
		if (i == 4)
			break;
		first--;
	}
	for (int m = first; m < o->n; m++) {
		while (k < 4 && strcmp(o->m[m].key, cgroup_keys[k]))
			k++;
		if (k == 4 || o->m[m].type != JL_STR || (k > 0 && m == first))
			return -1;	/* out of order, not a string, or a name without a path */
		k++;
	}
	return o->n - first;
}

/*
 * the n_cg cgroup keys at o's end as an actor states them (actor.h):
 * "path=BASENAME ctr=ID pod=UID unit=NAME", each when given
 */
static void who_of(const struct jl_object *o, int n_cg, char *who, size_t len)
{
	static const char *const tag[] = { "path", "ctr", "pod", "unit" };
	size_t w = 0;

	who[0] = '\0';
	for (int m = o->n - n_cg; m < o->n && w < len; m++) {
		const char *v = o->m[m].str, *base = strrchr(v, '/');
		int k;

		for (k = 0; k < 4 && strcmp(o->m[m].key, cgroup_keys[k]); k++)
			;
		if (k == 0 && base)
			v = base + 1;
		w += (size_t)snprintf(who + w, len - w, "%s%s=%s", w ? " " : "", tag[k], v);
	}
}

/*
 * a local connection's other end, just before the cgroup's keys: peer_pid (not
 * 0) then peer_comm (a string), or neither. 2, 0, or -1 when malformed.
 */
static int peer_members(const struct jl_object *o)
{
	const struct jl_member *pid = o->n >= 2 ? &o->m[o->n - 2] : NULL;

	if (!pid || strcmp(o->m[o->n - 1].key, "peer_comm"))
		return jl_get(o, "peer_pid") || jl_get(o, "peer_comm") ? -1 : 0;
	if (strcmp(pid->key, "peer_pid") || !pid->is_uint || !pid->u ||
	    o->m[o->n - 1].type != JL_STR)
		return -1;
	return 2;
}

/*
 * the real destination behind a DNAT, where rname would be (after it when
 * both are there): nat_raddr (a string) then nat_rport (not 0), or neither;
 * taken out of o. 0, or -1 when malformed.
 */
static int take_nat(struct jl_object *o, int at, struct ev *e)
{
	const struct jl_member *a = &o->m[at], *p = &o->m[at + 1];

	if (o->n <= at + 1 || strcmp(a->key, "nat_raddr"))
		return jl_get(o, "nat_raddr") || jl_get(o, "nat_rport") ? -1 : 0;
	if (strcmp(p->key, "nat_rport") || a->type != JL_STR || !p->is_uint || !p->u ||
	    p->u > 65535)
		return -1;
	copy_str(e->nat_raddr, sizeof(e->nat_raddr), a->str);
	e->nat_rport = (unsigned)p->u;
	memmove(&o->m[at], &o->m[at + 2], (size_t)(o->n - at - 2) * sizeof(o->m[0]));
	o->n -= 2;
	return 0;
}

/* every line must be strict JSON with the keys in order; keep those of netns */
int parse_json(const char *text, unsigned long long netns, unsigned long long netns2,
	       long long t0, long long t1, bool any_tid, struct evset *got, char *why, size_t len)
{
	const char *line = text;
	int lineno = 0;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char buf[32768], err[160];
		struct jl_object o;
		struct ev e = {};
		int n_cg, n_peer;
		const char *ev_name;

		lineno++;
		if (!nl) {
			snprintf(why, len, "line %d is not terminated by a newline", lineno);
			return -1;
		}
		snprintf(buf, sizeof(buf), "%.*s", (int)n, line);
		line = nl + 1;
		if (jl_parse(buf, &o, err, sizeof(err))) {
			snprintf(why, len, "line %d is not JSON (%s): %.200s", lineno, err, buf);
			return -1;
		}
		if (o.n > 1 && !strcmp(o.m[1].key, "event") && o.m[1].type == JL_STR &&
		    !strcmp(o.m[1].str, "dns")) {	/* keys of its own */
			int ours = parse_dns(&o, netns, t0, t1, &e, err, sizeof(err));

			if (ours < 0) {
				snprintf(why, len, "line %d: %s: %.200s", lineno, err, buf);
				return -1;
			}
			if (ours)
				evset_add(got, &e);
			continue;
		}
		if (take_rname(&o, RNAME_AT, &e)) {
			snprintf(why, len, "line %d: bad rname: %.200s", lineno, buf);
			return -1;
		}
		if (take_nat(&o, RNAME_AT, &e)) {
			snprintf(why, len, "line %d: bad nat keys: %.200s", lineno, buf);
			return -1;
		}
		for (int k = 0; k < N_KEYS; k++) {
			bool is_str = !strcmp(json_keys[k], "event") || !strcmp(json_keys[k], "comm") ||
				      !strcmp(json_keys[k], "proto") || !strcmp(json_keys[k], "laddr") ||
				      !strcmp(json_keys[k], "raddr");

			if ((int)k >= o.n || strcmp(o.m[k].key, json_keys[k]) ||
			    (is_str ? o.m[k].type != JL_STR : !o.m[k].is_uint)) {
				snprintf(why, len, "line %d: key %d should be %s (%s): %.200s",
					 lineno, k, json_keys[k], is_str ? "string" : "integer", buf);
				return -1;
			}
		}
		n_cg = cgroup_members(&o);
		if (n_cg < 0 || (n_cg && o.m[o.n - n_cg].str[0] != '/')) {
			snprintf(why, len, "line %d: bad cgroup keys: %.200s", lineno, buf);
			return -1;
		}
		who_of(&o, n_cg, e.who, sizeof(e.who));
		o.n -= n_cg;	/* the checks below count the others */
		n_peer = peer_members(&o);
		ev_name = jl_get(&o, "event")->str;
		/* only TCP opens and closes have another end here */
		if (n_peer < 0 || (n_peer && strcmp(ev_name, "accept") &&
				   strcmp(ev_name, "connect") && strcmp(ev_name, "close"))) {
			snprintf(why, len, "line %d: bad peer keys: %.200s", lineno, buf);
			return -1;
		}
		if (n_peer) {
			e.peer_pid = (unsigned)o.m[o.n - 2].u;
			copy_str(e.peer_comm, sizeof(e.peer_comm), o.m[o.n - 1].str);
		}
		o.n -= n_peer;
		if (jl_get(&o, "netns")->u != netns && (!netns2 || jl_get(&o, "netns")->u != netns2))
			continue;
		/*
		 * A socket there before socktrace started (the leader's UDP sinks,
		 * net.c): the snapshot's, which sc_existing.c checks; not an actor's.
		 */
		if (jl_get(&o, "existing") && strcmp(jl_get(&o, "event")->str, "close"))
			continue;
		if ((long long)jl_get(&o, "ts")->u < t0 || (long long)jl_get(&o, "ts")->u > t1) {
			snprintf(why, len, "line %d: ts %llu is outside the run [%lld, %lld]", lineno,
				 jl_get(&o, "ts")->u, t0, t1);
			return -1;
		}
		copy_str(e.event, sizeof(e.event), jl_get(&o, "event")->str);
		copy_str(e.proto, sizeof(e.proto), jl_get(&o, "proto")->str);
		copy_str(e.comm, sizeof(e.comm), jl_get(&o, "comm")->str);
		copy_str(e.laddr, sizeof(e.laddr), jl_get(&o, "laddr")->str);
		copy_str(e.raddr, sizeof(e.raddr), jl_get(&o, "raddr")->str);
		e.family = (unsigned)jl_get(&o, "family")->u;
		e.pid = (unsigned)jl_get(&o, "pid")->u;
		e.tid = (unsigned)jl_get(&o, "tid")->u;
		e.lport = (unsigned)jl_get(&o, "lport")->u;
		e.rport = (unsigned)jl_get(&o, "rport")->u;
		e.cookie = jl_get(&o, "cookie")->u;
		if (!strcmp(e.event, "close") && jl_get(&o, "late")) {
			if (o.n != N_LATE_KEYS || jl_get(&o, "late")->type != JL_BOOL ||
			    strcmp(o.m[N_KEYS].key, "late")) {
				snprintf(why, len, "line %d: bad late close keys: %.200s", lineno, buf);
				return -1;
			}
			e.late = true;
		} else if (!strcmp(e.event, "close")) {
			const struct jl_member *d = jl_get(&o, "duration_ns"),
					       *tx = jl_get(&o, "tx_bytes"),
					       *rx = jl_get(&o, "rx_bytes");

			if (o.n != N_CLOSE_KEYS || !d || !tx || !rx || !d->is_uint || !tx->is_uint ||
			    !rx->is_uint || !d->u || (long long)d->u > t1 - t0) {
				snprintf(why, len, "line %d: bad close keys: %.200s", lineno, buf);
				return -1;
			}
			e.tx = tx->u;
			e.rx = rx->u;
			e.duration = d->u;
		} else if (!strcmp(e.event, "fail")) {
			const struct jl_member *r = jl_get(&o, "reason");

			if (o.n != N_FAIL_KEYS || !r || r->type != JL_STR) {
				snprintf(why, len, "line %d: bad fail keys: %.200s", lineno, buf);
				return -1;
			}
			copy_str(e.reason, sizeof(e.reason), r->str);
		} else if (!strcmp(e.event, "udp")) {
			const struct jl_member *d = jl_get(&o, "dir"), *f = jl_get(&o, "folded");

			if (!d || d->type != JL_STR || strcmp(o.m[N_KEYS].key, "dir") ||
			    (strcmp(d->str, "in") && strcmp(d->str, "out")) ||
			    o.n != N_UDP_KEYS + (f != NULL) ||
			    (f && (f->type != JL_BOOL || strcmp(d->str, "in") || jl_get(&o, "rport")->u))) {
				snprintf(why, len, "line %d: bad udp keys: %.200s", lineno, buf);
				return -1;
			}
			copy_str(e.dir, sizeof(e.dir), d->str);
			e.folded = f != NULL;
		} else if (o.n != N_KEYS) {
			snprintf(why, len, "line %d: %d keys, expected %d: %.200s", lineno, o.n, N_KEYS,
				 buf);
			return -1;
		}
		if ((e.tid != e.pid && !any_tid) || !e.tid || !jl_get(&o, "cgroup")->u) {
			snprintf(why, len, "line %d: tid or cgroup is wrong: %.200s", lineno, buf);
			return -1;
		}
		e.uid = (unsigned)jl_get(&o, "uid")->u;	/* the actor's, compared as a field */
		evset_add(got, &e);
	}
	return 0;
}

/* undo the text stream's escaping: "\\" and "\xHH" */
static int unescape_text(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (const char *p = in; *p && o + 1 < len; p++) {
		unsigned v;

		if (*p != '\\') {
			out[o++] = *p;
			continue;
		}
		if (p[1] == '\\') {
			out[o++] = '\\';
			p++;
		} else if (p[1] == 'x' && sscanf(p + 2, "%2x", &v) == 1 && p[2] && p[3]) {
			out[o++] = (char)v;
			p += 3;
		} else {
			return -1;
		}
	}
	out[o] = '\0';
	return 0;
}

/*
 * "HH:MM:SS.mmm PID COMM EVENT LOCAL REMOTE WHO INFO": keep the lines of our
 * pids. No protocol column: udp events are UDP, and a fail's INFO says "udp"
 * first when it was a UDP connect(); every other kind is TCP.
 */
int parse_text(const char *text, const struct evset *exp, struct evset *got, char *why, size_t len)
{
	const char *line = text;
	bool header = false;

	while (*line) {
		char buf[512], tm[32], comm[64], local[80], remote[80], info[2][32] = {};
		struct ev e = { .uid = ANY_UID };
		bool ours = false;
		char *colon;

		line = next_line(line, buf, sizeof(buf));
		if (!header) {
			header = true;
			if (strncmp(buf, "TIME ", 5)) {
				snprintf(why, len, "no header line: %.100s", buf);
				return -1;
			}
			continue;
		}
		if (sscanf(buf, "%31s %u %63s %7s %79s %79s %*s %31s %31s", tm, &e.pid, comm,
			   e.event, local, remote, info[0], info[1]) < 6 || strlen(tm) != 12) {
			snprintf(why, len, "bad text line: %.200s", buf);
			return -1;
		}
		for (size_t i = 0; buf[i]; i++) {
			unsigned char c = (unsigned char)buf[i];

			if (c < 0x20 || c >= 0x7f) {
				snprintf(why, len, "a raw byte 0x%02x reached the terminal", c);
				return -1;
			}
		}
		for (int i = 0; i < exp->n; i++)
			ours |= exp->e[i].pid == e.pid;
		if (!ours)
			continue;
		if (unescape_text(comm, e.comm, sizeof(e.comm))) {
			snprintf(why, len, "bad escape in the name '%s'", comm);
			return -1;
		}
		copy_str(e.proto, sizeof(e.proto), !strcmp(e.event, "udp") ||
			 (!strcmp(e.event, "fail") && !strcmp(info[0], "udp")) ? "udp" : "tcp");
		e.family = local[0] == '[' ? 6 : 4;
		colon = strrchr(local, ':');
		e.lport = (unsigned)atoi(colon + 1);
		*colon = '\0';
		copy_str(e.laddr, sizeof(e.laddr), local + (e.family == 6));
		if (e.family == 6)
			e.laddr[strlen(e.laddr) - 1] = '\0';
		colon = strrchr(remote, ':');
		e.rport = (unsigned)atoi(colon + 1);
		*colon = '\0';
		copy_str(e.raddr, sizeof(e.raddr), remote + (e.family == 6));
		if (e.family == 6)
			e.raddr[strlen(e.raddr) - 1] = '\0';
		if (!strcmp(e.event, "close")) {
			const char *tx = strstr(buf, " tx="), *rx = strstr(buf, " rx=");

			if (!tx || !rx) {
				snprintf(why, len, "close without tx/rx: %.200s", buf);
				return -1;
			}
			e.tx = strtoull(tx + 4, NULL, 10);
			e.rx = strtoull(rx + 4, NULL, 10);
		} else if (!strcmp(e.event, "fail")) {
			copy_str(e.reason, sizeof(e.reason), info[!strcmp(e.proto, "udp")]);
		} else if (!strcmp(e.event, "udp")) {
			copy_str(e.dir, sizeof(e.dir), strncmp(info[0], "in", 2) ? "out" : "in");
			e.folded = strstr(buf, " in, every source port") != NULL;
		}
		evset_add(got, &e);
	}
	return 0;
}


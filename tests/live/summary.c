// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "../jsonl.h"
#include "summary.h"
#include "summary_rows.h"
#include "udp_in.h"
#include "util.h"


static struct want_row *want_of(struct want_row *w, int *n, const struct ev *e)
{
	for (int i = 0; i < *n; i++)
		if (w[i].pid == e->pid)
			return &w[i];
	memset(&w[*n], 0, sizeof(w[*n]));
	w[*n].pid = e->pid;
	copy_str(w[*n].comm, sizeof(w[*n].comm), e->comm);
	copy_str(w[*n].ports, sizeof(w[*n].ports), "[]");
	return &w[(*n)++];
}

static bool is_open(const struct ev *e)
{
	return !strcmp(e->event, "connect") || !strcmp(e->event, "accept");
}

/* a peer told by its address alone: a client accepted, or a source of received UDP */
static bool host_peer(const struct ev *e)
{
	return !strcmp(e->event, "accept") || (!strcmp(e->event, "udp") && !strcmp(e->dir, "in"));
}

/* a received flow of pid in s: the kernel saw its datagrams */
static bool has_in_flow(const struct evset *s, unsigned pid)
{
	for (int i = 0; i < s->n; i++)
		if (s->e[i].pid == pid && !strcmp(s->e[i].event, "udp") && !strcmp(s->e[i].dir, "in"))
			return true;
	return false;
}

static bool is_end(const struct ev *e)
{
	return !strcmp(e->event, "close") || !strcmp(e->event, "fail");
}

/* one socket's events: by cookie where both were delivered, else by 5-tuple */
static bool same_socket(const struct ev *a, const struct ev *b)
{
	if (a->cookie && b->cookie)
		return a->cookie == b->cookie;
	return a->pid == b->pid && a->lport == b->lport && a->rport == b->rport &&
	       !strcmp(a->laddr, b->laddr) && !strcmp(a->raddr, b->raddr);
}

/*
 * The connections of pid that socktrace's table holds after the events in s,
 * in order: an open is held until its socket's end, or until an open of the
 * same cookie replaces it (its end was dropped).
 */
static unsigned long long open_after(const struct evset *s, unsigned pid)
{
	static bool gone[MAX_EVENTS];
	unsigned long long n = 0;

	memset(gone, 0, sizeof(gone));
	for (int i = 0; i < s->n; i++) {
		const struct ev *e = &s->e[i];

		if (e->pid != pid || (!is_open(e) && !is_end(e)))
			continue;
		for (int j = i - 1; j >= 0; j--) {
			const struct ev *o = &s->e[j];

			if (o->pid == pid && is_open(o) && !gone[j] && same_socket(o, e) &&
			    (is_end(e) || (o->cookie && o->cookie == e->cookie))) {
				gone[j] = true;
				break;
			}
		}
	}
	for (int i = 0; i < s->n; i++)
		n += s->e[i].pid == pid && is_open(&s->e[i]) && !gone[i];
	return n;
}

/*
 * A "udp_flow" line: a flow of an actor must be one it made (the last
 * report of it in exp: a flow idle past --udp-idle is new again), said once,
 * with its exact datagrams and bytes (got[] keeps the datagrams said); a
 * received one may have fewer, those the summary row counts as unmatched
 * (flows_all_said()). Other pids' flows are not the scenario's. 0, or -1
 * with why.
 */
static int check_flow_line(const struct jl_object *o, const struct evset *exp,
			   long long *got, const char *buf, char *why, size_t len)
{
	const struct jl_member *pid = jl_get(o, "pid"), *dir = jl_get(o, "dir"),
			       *laddr = jl_get(o, "laddr"), *lport = jl_get(o, "lport"),
			       *raddr = jl_get(o, "raddr"), *rport = jl_get(o, "rport"),
			       *pk = jl_get(o, "packets"), *by = jl_get(o, "bytes");
	const struct ev *e;
	bool actor = false, in;
	int found = -1;

	if (!pid || !dir || !laddr || !lport || !raddr || !rport || !pk || !by || !pk->is_uint ||
	    !by->is_uint) {
		snprintf(why, len, "bad udp_flow line: %.300s", buf);
		return -1;
	}
	for (int i = 0; i < exp->n; i++) {
		e = &exp->e[i];
		actor |= e->pid == pid->u;
		if (e->pid == pid->u && !strcmp(e->event, "udp") && !strcmp(e->dir, dir->str) &&
		    !strcmp(e->laddr, laddr->str) && e->lport == lport->u &&
		    !strcmp(e->raddr, raddr->str) && e->rport == rport->u)
			found = i;
	}
	if (!actor)
		return 0;
	if (found < 0 || got[found] >= 0) {
		snprintf(why, len, "udp_flow %s: %.300s", found < 0 ? "not made by the actor" :
			 "said twice", buf);
		return -1;
	}
	e = &exp->e[found];
	in = !strcmp(e->dir, "in");
	if (in ? pk->u > e->packets || !e->packets ||
		 by->u != pk->u * (e->bytes / e->packets) :
		 pk->u != e->packets || by->u != e->bytes) {
		snprintf(why, len, "udp_flow: expected %s%llu packets and %llu bytes: %.300s",
			 in ? "at most " : "", e->packets, e->bytes, buf);
		return -1;
	}
	got[found] = (long long)pk->u;
	return 0;
}

/*
 * Every flow the actors made was said by a udp_flow line with all its
 * datagrams, but those a receiver's row counts as read on no flow
 * (udp_rx_unmatched: unmatched[] by actor row): exactly that many missing.
 */
static int flows_all_said(const struct evset *exp, const long long *got, const unsigned *pids,
			  const unsigned long long *unmatched, int n_rows, char *why, size_t len)
{
	for (int r = 0; r < n_rows; r++) {
		unsigned long long missing = 0;

		for (int i = 0; i < exp->n; i++) {
			const struct ev *e = &exp->e[i];
			bool later = false;

			if (e->pid != pids[r] || strcmp(e->event, "udp"))
				continue;
			for (int j = i + 1; j < exp->n; j++)	/* the flow reported again: that one */
				later |= !strcmp(exp->e[j].event, "udp") && exp->e[j].pid == e->pid &&
					 !strcmp(exp->e[j].dir, e->dir) &&
					 exp->e[j].lport == e->lport && exp->e[j].rport == e->rport &&
					 !strcmp(exp->e[j].raddr, e->raddr);
			if (later)
				continue;
			if (got[i] < 0 && strcmp(e->dir, "in")) {
				char s[256];

				ev_str(e, s, sizeof(s));
				snprintf(why, len, "no udp_flow line for %s", s);
				return -1;
			}
			missing += e->packets - (unsigned long long)(got[i] < 0 ? 0 : got[i]);
		}
		if (missing != unmatched[r]) {
			snprintf(why, len, "pid %u: its flows miss %llu datagrams, its row counts %llu "
				 "unmatched", pids[r], missing, unmatched[r]);
			return -1;
		}
	}
	return 0;
}

int check_summary(const struct scenario *sc, const struct actor_run *run, const char *text,
		  const struct evset *exp, const struct evset *fed, char *why, size_t len)
{
	struct want_row w[MAX_ACTORS];
	int n = 0;

	/* what each actor's row must say, from the events it made */
	for (int i = 0; i < exp->n; i++) {
		const struct ev *e = &exp->e[i];
		struct want_row *r = want_of(w, &n, e);
		bool new_peer = true;

		if (!strcmp(e->event, "listen")) {
			snprintf(r->ports, sizeof(r->ports), "[%u]", e->lport);
			continue;
		}
		if (!strcmp(e->event, "close")) {
			r->closes++;
			r->tx += e->tx;
			r->rx += e->rx;
			continue;
		}
		if (!strcmp(e->event, "fail")) {
			r->fails++;
			continue;
		}
		r->connects += !strcmp(e->event, "connect");
		r->accepts += !strcmp(e->event, "accept");
		r->udp_flows += !strcmp(e->event, "udp") && strcmp(e->dir, "in");
		r->udp_in_flows += !strcmp(e->event, "udp") && !strcmp(e->dir, "in");
		/* a peer: the remote address, and its port unless a host peer (host_peer()) */
		for (int j = 0; j < i; j++)
			if (exp->e[j].pid == e->pid && !strcmp(exp->e[j].raddr, e->raddr) &&
			    host_peer(&exp->e[j]) == host_peer(e) &&
			    (host_peer(e) || exp->e[j].rport == e->rport) &&
			    strcmp(exp->e[j].event, "close") && strcmp(exp->e[j].event, "fail") &&
			    strcmp(exp->e[j].event, "listen"))
				new_peer = false;
		r->peers += new_peer;
	}
	/* UDP datagrams of one byte each */
	for (int a = 0; a < scenario_n_actors(sc); a++) {
		const struct actor *ac = &sc->actors[a];
		unsigned long long pk = 0;

		unsigned long long size = 1, in = 0;

		if (ac->kind == UDP_UNCONNECTED)
			pk = 2ULL * ac->count;
		else if (ac->kind == UDP_CONNECTED)
			pk = (unsigned long long)ac->count * (ac->gap_ms ? 2 : 1);
		else if (ac->kind == UDP_SENDER || ac->kind == UDP_FLOOD)
			pk = (unsigned long long)ac->count;
		/* a server reads exactly count datagrams, each a struct udp_rec */
		if (ac->kind == UDP_SENDER || ac->kind == UDP_FLOOD || ac->kind == UDP_RECEIVER)
			size = sizeof(struct udp_rec);
		if (ac->kind == UDP_RECEIVER && has_in_flow(exp, (unsigned)run[a].pid))
			in = (unsigned long long)ac->count;
		for (int i = 0; i < n; i++) {
			if (w[i].pid == (unsigned)run[a].pid) {
				w[i].udp_packets += pk;
				w[i].tx += pk * size;
				w[i].udp_rx_packets += in;
				w[i].udp_rx_bytes += in * size;
				w[i].rx += in * size;
			}
		}
	}

	if (sc->by_container)
		return check_by_container(sc, run, text, w, n, why, len);

	static long long got[MAX_EVENTS];
	unsigned pids[MAX_ACTORS];
	unsigned long long unmatched[MAX_ACTORS];

	for (int i = 0; i < MAX_EVENTS; i++)
		got[i] = -1;
	/* every line is strict JSON; the actors' rows must match field by field */
	for (const char *line = text; *line;) {
		char buf[2048], err[160];
		struct jl_object o;
		const struct jl_member *pid;
		struct want_row *r = NULL;

		line = next_line(line, buf, sizeof(buf));
		if (jl_parse(buf, &o, err, sizeof(err))) {
			snprintf(why, len, "summary line is not JSON (%s): %.200s", err, buf);
			return -1;
		}
		pid = jl_get(&o, "pid");
		/* what existed at start (the leader's UDP sinks): sc_existing.c's to check */
		if (jl_get(&o, "event") && !strcmp(jl_get(&o, "event")->str, "existing"))
			continue;
		if (jl_get(&o, "event") && !strcmp(jl_get(&o, "event")->str, "udp_flow")) {
			if (check_flow_line(&o, exp, got, buf, why, len))
				return -1;
			continue;
		}
		if (!jl_get(&o, "event") || strcmp(jl_get(&o, "event")->str, "summary") || !pid) {
			snprintf(why, len, "not a summary line: %.200s", buf);
			return -1;
		}
		for (int i = 0; i < n; i++)
			if (w[i].pid == pid->u)
				r = &w[i];
		if (!r)
			continue;
		r->seen++;
		/* open now: what the table was fed opened and did not end */
		unsigned long long open = open_after(fed, r->pid);
		const struct {
			const char *key;
			unsigned long long want;
		} f[] = {
			{ "open", open }, { "existing_open", 0 },
			{ "connects", r->connects }, { "accepts", r->accepts }, { "fails", r->fails },
			{ "closes", r->closes }, { "udp_flows", r->udp_flows },
			{ "udp_packets", r->udp_packets }, { "udp_in_flows", r->udp_in_flows },
			{ "udp_rx_packets", r->udp_rx_packets }, { "udp_rx_bytes", r->udp_rx_bytes },
			{ "peers", r->peers },
			{ "tx_bytes", r->tx }, { "rx_bytes", r->rx },
		};
		for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
			const struct jl_member *m = jl_get(&o, f[k].key);

			if (!m || !m->is_uint || m->u != f[k].want) {
				snprintf(why, len, "pid %u (%s): %s is %llu, expected %llu: %.300s",
					 r->pid, r->comm, f[k].key, m ? m->u : 0, f[k].want, buf);
				return -1;
			}
		}
		if (!jl_get(&o, "udp_rx_unmatched") || !jl_get(&o, "udp_rx_unmatched")->is_uint) {
			snprintf(why, len, "pid %u: no udp_rx_unmatched: %.300s", r->pid, buf);
			return -1;
		}
		r->unmatched = jl_get(&o, "udp_rx_unmatched")->u;
		/* the actors start after socktrace: nothing of theirs existed before */
		if (!jl_get(&o, "existing_states") ||
		    strcmp(jl_get(&o, "existing_states")->raw, "{}")) {
			snprintf(why, len, "pid %u: existing_states should be {}: %.300s", r->pid, buf);
			return -1;
		}
		if (!jl_get(&o, "comm") || strcmp(jl_get(&o, "comm")->str, r->comm) ||
		    !jl_get(&o, "listen_ports") || strcmp(jl_get(&o, "listen_ports")->raw, r->ports)) {
			snprintf(why, len, "pid %u: comm or listen_ports wrong, expected %s %s: %.300s",
				 r->pid, r->comm, r->ports, buf);
			return -1;
		}
	}
	for (int i = 0; i < n; i++) {
		pids[i] = w[i].pid;
		unmatched[i] = w[i].unmatched;
	}
	if (flows_all_said(exp, got, pids, unmatched, n, why, len))
		return -1;
	for (int i = 0; i < n; i++) {
		if (w[i].seen != 1) {
			snprintf(why, len, "pid %u (%s) has %d summary rows, expected 1", w[i].pid,
				 w[i].comm, w[i].seen);
			return -1;
		}
	}
	return 0;
}

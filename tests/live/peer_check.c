// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "peer_check.h"

static bool is_open(const struct ev *e)
{
	return !strcmp(e->event, "connect") || !strcmp(e->event, "accept");
}

/* b's tuple is a's seen from its other end */
static bool mirrored(const struct ev *a, const struct ev *b)
{
	return a->family == b->family && a->lport == b->rport && a->rport == b->lport &&
	       !strcmp(a->laddr, b->raddr) && !strcmp(a->raddr, b->laddr);
}

static bool same_tuple(const struct ev *a, const struct ev *b)
{
	return a->family == b->family && a->lport == b->lport && a->rport == b->rport &&
	       !strcmp(a->laddr, b->laddr) && !strcmp(a->raddr, b->raddr);
}

/* the last open before i, of the tuple (mirror false) or of its mirror; -1: none */
static int open_before(const struct evset *s, int i, bool mirror)
{
	for (int j = i - 1; j >= 0; j--)
		if (!strcmp(s->e[j].proto, "tcp") && is_open(&s->e[j]) &&
		    (mirror ? mirrored(&s->e[i], &s->e[j]) : same_tuple(&s->e[i], &s->e[j])))
			return j;
	return -1;
}

bool peer_named(const struct ev *e, const struct ev *o)
{
	return o ? e->peer_pid == o->pid && !strcmp(e->peer_comm, o->comm) : !e->peer_pid;
}

int peer_wrong(const struct ev *e, const struct ev *o, char *why, size_t len)
{
	char a[256];

	ev_str(e, a, sizeof(a));
	snprintf(why, len, "%s: peer %u/%s, expected %u/%s", a, e->peer_pid,
		 e->peer_pid ? e->peer_comm : "-", o ? o->pid : 0, o ? o->comm : "-");
	return -1;
}

int check_peers(const struct evset *got, char *why, size_t len)
{
	for (int i = 0; i < got->n; i++) {
		const struct ev *e = &got->e[i], *want;
		int own, other;

		if (strcmp(e->proto, "tcp"))
			continue;
		other = open_before(got, i, true);
		if (!strcmp(e->event, "accept")) {
			/* the client's connect, streamed first; else not checked */
			if (other < 0 || strcmp(got->e[other].event, "connect"))
				continue;
			want = &got->e[other];
		} else if (!strcmp(e->event, "close")) {
			own = open_before(got, i, false);
			if (own < 0 || other < 0 || !strcmp(got->e[own].event, got->e[other].event) ||
			    (e->late && !e->peer_pid))
				continue;
			want = &got->e[other];
		} else {
			continue;
		}
		if (!peer_named(e, want))
			return peer_wrong(e, want, why, len);
	}
	return 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "ev.h"

void ev_str(const struct ev *e, char *buf, size_t len)
{
	char comm[4 * sizeof(e->comm) + 1];
	size_t o = 0;
	int n;

	/* our own messages escape names too */
	for (const unsigned char *c = (const unsigned char *)e->comm; *c; c++)
		o += (size_t)snprintf(comm + o, sizeof(comm) - o,
				      *c >= 0x20 && *c < 0x7f ? "%c" : "\\x%02x", *c);
	n = snprintf(buf, len, "%s/%s pid=%u comm=%s %s %s:%u -> %s:%u", e->event, e->proto,
		     e->pid, comm, e->family == 6 ? "v6" : "v4", e->laddr, e->lport, e->raddr,
		     e->rport);

	if (!strcmp(e->event, "close") && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " tx=%llu rx=%llu%s", e->tx, e->rx,
			 e->late ? " late" : "");
	else if (!strcmp(e->event, "fail") && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " %s", e->reason);
	else if (!strcmp(e->event, "udp") && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " %s%s", e->dir, e->folded ? " folded" : "");
	if (e->who[0] && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " [%s]", e->who);
}

bool ev_same(const struct ev *a, const struct ev *b)
{
	return !strcmp(a->event, b->event) && !strcmp(a->proto, b->proto) &&
	       (a->uid == b->uid || a->uid == ANY_UID || b->uid == ANY_UID) &&
	       a->family == b->family && a->pid == b->pid && !strcmp(a->comm, b->comm) &&
	       !strcmp(a->laddr, b->laddr) && a->lport == b->lport &&
	       !strcmp(a->raddr, b->raddr) && a->rport == b->rport && a->tx == b->tx &&
	       a->rx == b->rx && a->late == b->late && !strcmp(a->reason, b->reason) &&
	       !strcmp(a->dir, b->dir) && a->folded == b->folded &&
	       (!a->who[0] || !strcmp(a->who, b->who));
}

void evset_add(struct evset *s, const struct ev *e)
{
	if (s->n < MAX_EVENTS)
		s->e[s->n++] = *e;
}

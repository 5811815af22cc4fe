// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "ev.h"

/* a name for our own messages: bytes that are not printable ASCII as \xHH */
static const char *escaped(const char *s, char *out, size_t len)
{
	size_t o = 0;

	out[0] = '\0';
	for (const unsigned char *c = (const unsigned char *)s; *c && o + 1 < len; c++)
		o += (size_t)snprintf(out + o, len - o, *c >= 0x20 && *c < 0x7f ? "%c" : "\\x%02x",
				      *c);
	return out;
}

void ev_str(const struct ev *e, char *buf, size_t len)
{
	char name[4 * sizeof(e->qname) + 1];
	int n;

	n = snprintf(buf, len, "%s/%s pid=%u comm=%s %s %s:%u -> %s:%u", e->event, e->proto,
		     e->pid, escaped(e->comm, name, sizeof(name)), e->family == 6 ? "v6" : "v4",
		     e->laddr, e->lport, e->raddr, e->rport);

	if (!strcmp(e->event, "close") && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " tx=%llu rx=%llu%s", e->tx, e->rx,
			 e->late ? " late" : "");
	else if (!strcmp(e->event, "fail") && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " %s", e->reason);
	else if (!strcmp(e->event, "udp") && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " %s%s", e->dir, e->folded ? " folded" : "");
	else if (!strcmp(e->event, "dns") && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " id=%u %s %s %s [%s]%s", e->dns_id,
			      escaped(e->qname, name, sizeof(name)), e->qtype, e->rcode, e->answers,
			      e->latency ? " latency" : "");
	if (e->rname[0] && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " rname=%s",
			      escaped(e->rname, name, sizeof(name)));
	if (e->who[0] && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " [%s]", e->who);
}

/* the DNS fields (all empty but on dns events and named ones), exactly */
static bool same_dns(const struct ev *a, const struct ev *b)
{
	return !strcmp(a->rname, b->rname) && a->dns_id == b->dns_id &&
	       !strcmp(a->qname, b->qname) && !strcmp(a->qtype, b->qtype) &&
	       !strcmp(a->rcode, b->rcode) && !strcmp(a->answers, b->answers) &&
	       a->latency == b->latency;
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
	       (!a->who[0] || !strcmp(a->who, b->who)) && same_dns(a, b);
}

void evset_add(struct evset *s, const struct ev *e)
{
	if (s->n < MAX_EVENTS)
		s->e[s->n++] = *e;
}

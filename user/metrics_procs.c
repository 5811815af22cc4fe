// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "metrics_procs.h"

struct st_mproc {
	__u32 pid;		/* 0: a free slot (pid 0 never opens a socket) */
	unsigned gen;
	char comm[ST_COMM_LEN];
	__u64 udp_packets, udp_tx_bytes;	/* the kernel's counts at the last read */
	__u64 udp_rx_packets, udp_rx_bytes;
};

int st_mprocs_init(struct st_mprocs *p, size_t cap_pids)
{
	size_t cap = 16;

	memset(p, 0, sizeof(*p));
	/* in one read the table holds the pids of the last one (not yet
	 * forgotten) and the new ones: up to 2 * cap_pids, at most half full */
	while (cap < cap_pids * 4)
		cap <<= 1;
	p->slots = calloc(cap, sizeof(*p->slots));
	if (!p->slots)
		return -ENOMEM;
	p->cap = cap;
	return 0;
}

void st_mprocs_free(struct st_mprocs *p)
{
	free(p->slots);
	p->slots = NULL;
}

static struct st_mproc *slot_of(struct st_mprocs *p, __u32 pid)
{
	size_t i = (pid * 2654435761u) & (p->cap - 1);

	while (p->slots[i].pid && p->slots[i].pid != pid)
		i = (i + 1) & (p->cap - 1);
	return &p->slots[i];
}

/* what grew since last time; a counter that went down is a new process */
static __u64 grown(__u64 now, __u64 before)
{
	return now >= before ? now - before : now;
}

void st_mprocs_seen(struct st_mprocs *p, struct st_metrics *m, __u32 pid,
		    const struct st_proc_stats *s)
{
	struct st_mproc *q = slot_of(p, pid);
	struct st_mseries *ser;

	if (!pid)
		return;
	if (!q->pid) {
		if (p->n >= p->cap / 2)
			return;	/* cannot be: see st_mprocs_init() */
		p->n++;
		p->tracked++;
		memset(q, 0, sizeof(*q));	/* a slot freed keeps its last counts */
		q->pid = pid;
		memcpy(q->comm, s->comm, ST_COMM_LEN);
	} else if (memcmp(q->comm, s->comm, ST_COMM_LEN)) {
		/* the pid was evicted and reused between two reads */
		memcpy(q->comm, s->comm, ST_COMM_LEN);
		q->udp_packets = q->udp_tx_bytes = q->udp_rx_packets = q->udp_rx_bytes = 0;
		p->tracked++;
	}
	ser = st_metrics_series(m, s->comm, NULL);	/* the table has no cgroup */
	ser->udp_packets_out += grown(s->udp_packets, q->udp_packets);
	ser->udp_bytes_out += grown(s->udp_tx_bytes, q->udp_tx_bytes);
	ser->udp_packets_in += grown(s->udp_rx_packets, q->udp_rx_packets);
	ser->udp_bytes_in += grown(s->udp_rx_bytes, q->udp_rx_bytes);
	q->udp_packets = s->udp_packets;
	q->udp_tx_bytes = s->udp_tx_bytes;
	q->udp_rx_packets = s->udp_rx_packets;
	q->udp_rx_bytes = s->udp_rx_bytes;
	q->gen = p->gen;
}

/* remove slot i, moving later ones of its probe chain back (no tombstones) */
static void drop_slot(struct st_mprocs *p, size_t i)
{
	size_t j = i;

	p->slots[i].pid = 0;
	p->n--;
	for (;;) {
		size_t home;

		j = (j + 1) & (p->cap - 1);
		if (!p->slots[j].pid)
			return;
		home = (p->slots[j].pid * 2654435761u) & (p->cap - 1);
		/* j stays if its home lies cyclically in (i, j] */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		p->slots[i] = p->slots[j];
		p->slots[j].pid = 0;
		i = j;
	}
}

void st_mprocs_end(struct st_mprocs *p)
{
	for (size_t i = 0; i < p->cap;) {
		if (p->slots[i].pid && p->slots[i].gen != p->gen) {
			p->evicted++;
			drop_slot(p, i);	/* may move another slot into i: look again */
			continue;
		}
		i++;
	}
	p->gen++;
}

__u64 st_mprocs_unread(const struct st_mprocs *p, __u64 created)
{
	return created > p->tracked ? created - p->tracked : 0;
}

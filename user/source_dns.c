// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "dns_parse.h"
#include "pipeline.h"
#include "socktrace.skel.h"
#include "source_ringbuf.h"
#include "source_dns.h"

/* the answers read at most at once: a storm of them must not hold the loop */
#define DNS_BATCH_MAX	1024

static int on_answer(void *ctx, void *data, size_t size)
{
	static struct st_dns_msg m;
	const struct st_dns_event *e = data;
	struct st_run *r = ctx;
	const char *why;

	if (size < sizeof(*e))
		return 0;
	r->dns_answers++;
	if (st_dns_parse(e->data, e->caplen, e->len, &m, &why) != ST_DNS_OK || !m.response) {
		r->dns_bad++;
		return 0;
	}
	st_pipeline_dns(r, e, &m);
	return 0;
}

/* each answer, then the batch's end */
static int on_answer_counted(void *ctx, void *data, size_t size)
{
	struct st_run *r = ctx;

	on_answer(ctx, data, size);
	return ++r->dns_batch >= DNS_BATCH_MAX ? ST_SIDE_BATCH_END : 0;
}

int st_dns_source_open(struct st_run *r)
{
	r->dns_rb = ring_buffer__new(bpf_map__fd(r->skel->maps.dns_events), on_answer_counted, r,
				     NULL);
	if (!r->dns_rb) {
		fprintf(stderr, "socktrace: can't read the DNS answers' ring buffer: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

int st_dns_source_read(struct st_run *r)
{
	return st_side_ring_read(r->dns_rb, &r->dns_batch);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "dns_parse.h"
#include "pipeline.h"
#include "socktrace.skel.h"
#include "source_dns.h"

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

int st_dns_source_add(struct st_run *r)
{
	int err = ring_buffer__add(r->rb, bpf_map__fd(r->skel->maps.dns_events), on_answer, r);

	if (err) {
		fprintf(stderr, "socktrace: can't read the DNS answers' ring buffer: %s\n",
			strerror(-err));
		return -1;
	}
	return 0;
}

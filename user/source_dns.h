/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The second source: the DNS answers of dns_events (bpf/dns_answer.bpf.c),
 * parsed (dns_parse.c) and handed to the pipeline. A message the parser
 * refuses is counted, and changes nothing.
 *
 * A reader of its own (r->dns_rb), which the events' reader drains first,
 * and again before each event (source_ringbuf.c): one reader for both would
 * read its rings in the order they were added, events first, and a connect
 * and the answer that named its address, read in one batch, would come in
 * the wrong order; and an answer written after the first drain, before the
 * connect it names, would come after it.
 */
#ifndef ST_SOURCE_DNS_H
#define ST_SOURCE_DNS_H

#include "run.h"

/* the reader of dns_events, as r->dns_rb; 0, or -1 (said on stderr) */
int st_dns_source_open(struct st_run *r);

/* the answers there now, at most a batch of them: their number, or -errno */
int st_dns_source_read(struct st_run *r);

#endif

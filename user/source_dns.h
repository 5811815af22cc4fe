/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The second source: the DNS answers of dns_events (bpf/dns_answer.bpf.c),
 * read by the same ring buffer reader as the events, parsed
 * (dns_parse.c) and handed to the pipeline. A message the parser refuses is
 * counted, and changes nothing.
 */
#ifndef ST_SOURCE_DNS_H
#define ST_SOURCE_DNS_H

#include "run.h"

/* dns_events into r->rb; 0, or -1 (said on stderr) */
int st_dns_source_add(struct st_run *r);

#endif

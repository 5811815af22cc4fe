/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A DNS answer as a line (-e dns): the twin printers, plain text in the
 * stream's columns and JSON, of one captured answer and what the parser read
 * from it.
 */
#ifndef ST_FORMAT_DNS_H
#define ST_FORMAT_DNS_H

#include <stdio.h>
#include <linux/types.h>
#include "dns_parse.h"
#include "socktrace.h"

void st_print_dns_text(FILE *f, const struct st_dns_event *e, const struct st_dns_msg *m,
		       long long epoch_off_ns);
void st_print_dns_json(FILE *f, const struct st_dns_event *e, const struct st_dns_msg *m,
		       long long epoch_off_ns);

#endif

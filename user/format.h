/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * An event as a line: the twin printers, plain text and JSON, of one event
 * from the ring buffer, and the text stream's header.
 */
#ifndef ST_FORMAT_H
#define ST_FORMAT_H

#include <stdio.h>
#include <linux/types.h>
#include "socktrace.h"

/* "refused", "timeout", "unreachable", or the errno's name ("ECONNABORTED") */
const char *st_reason_name(int err);

/* header of the text stream */
void st_print_header(FILE *f);
/*
 * one event; epoch_off_ns turns the event's CLOCK_MONOTONIC stamp into Unix
 * time; x: the snapshot's record of an existing socket (its holders), or NULL
 */
void st_print_text(FILE *f, const struct st_event *e, const struct st_existing *x,
		   long long epoch_off_ns);
void st_print_json(FILE *f, const struct st_event *e, const struct st_existing *x,
		   long long epoch_off_ns);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Turning events into text: addresses as ss(8) writes them, the one escaping
 * function for untrusted text, one small JSON writer, and the twin printers
 * (plain text and JSON lines) of an event.
 */
#ifndef ST_FORMAT_H
#define ST_FORMAT_H

#include <stdio.h>
#include <stdbool.h>
#include <linux/types.h>
#include "socktrace.h"

#define ST_ADDR_LEN	64	/* "[ffff:...:ffff]:65535" fits */

/* "127.0.0.1" or "::1"; addr is in network byte order */
void st_format_ip(char *buf, size_t len, int family, const __u8 *addr);
/* "127.0.0.1:80" or "[::1]:80"; port in host byte order */
void st_format_endpoint(char *buf, size_t len, int family, const __u8 *addr, __u16 port);

/*
 * The one escaping function for untrusted bytes (process names). Printable
 * ASCII is kept, every other byte is escaped, so no control byte and nothing
 * that is not ASCII reaches a terminal or a JSON parser:
 *   ST_ESC_TEXT: backslash as "\\", others as "\xHH";
 *   ST_ESC_JSON: '"' and backslash with a backslash, others as "\u00HH".
 * Reads at most n bytes of s, stopping at a NUL; writes a NUL-terminated
 * string into out (truncated to outlen - 1, never in the middle of an escape).
 */
enum st_escape_mode { ST_ESC_TEXT, ST_ESC_JSON };
#define ST_ESC_MAX(n)	((n) * 6 + 1)	/* room for n escaped bytes */
void st_escape(char *out, size_t outlen, const char *s, size_t n, enum st_escape_mode mode);

/*
 * JSON writer: objects of one level, keys in the order written.
 * Strings are written byte for byte as code points U+0000-U+00FF: printable
 * ASCII as itself (with \" and \\), everything else as \u00HH. Decoding each
 * code point back to a byte gives the original bytes exactly.
 */
struct st_json {
	FILE *f;
	int n;		/* members written in the open object */
	size_t len;	/* bytes of it in buf */
	char buf[2048];	/* the object, written out whole by st_json_end() */
};

void st_json_begin(struct st_json *j, FILE *f);
void st_json_str(struct st_json *j, const char *key, const char *s, size_t n);
void st_json_u64(struct st_json *j, const char *key, unsigned long long v);
/* a value written as is (an array of numbers) */
void st_json_raw(struct st_json *j, const char *key, const char *text);
void st_json_end(struct st_json *j);	/* closes the object and writes '\n' */

/* "refused", "timeout", "unreachable", or the errno's name ("ECONNABORTED") */
const char *st_reason_name(int err);

/* header of the text stream */
void st_print_header(FILE *f);
/* one event; epoch_off_ns turns the event's CLOCK_MONOTONIC stamp into Unix time */
void st_print_text(FILE *f, const struct st_event *e, long long epoch_off_ns);
void st_print_json(FILE *f, const struct st_event *e, long long epoch_off_ns);

#endif

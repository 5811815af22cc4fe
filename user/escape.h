/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one escaping function for untrusted bytes (process names). Printable
 * ASCII is kept, every other byte is escaped, so no control byte and nothing
 * that is not ASCII reaches a terminal or a JSON parser:
 *   ST_ESC_TEXT: backslash as "\\", others as "\xHH";
 *   ST_ESC_JSON: '"' and backslash with a backslash, others as "\u00HH".
 * Reads at most n bytes of s, stopping at a NUL; writes a NUL-terminated
 * string into out (truncated to outlen - 1, never in the middle of an escape)
 * and returns its length.
 */
#ifndef ST_ESCAPE_H
#define ST_ESCAPE_H

#include <stddef.h>

enum st_escape_mode { ST_ESC_TEXT, ST_ESC_JSON };
#define ST_ESC_MAX(n)	((n) * 6 + 1)	/* room for n escaped bytes */
size_t st_escape(char *out, size_t outlen, const char *s, size_t n, enum st_escape_mode mode);

#endif

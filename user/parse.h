/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one strict parser for numbers and lists on the command line.
 * Every function returns 0 on success, or -1 with a one-line reason in err
 * (lowercase, no trailing newline, quoting the bad text).
 */
#ifndef ST_PARSE_H
#define ST_PARSE_H

#include <stddef.h>
#include <linux/types.h>
#include "socktrace.h"

/* Decimal digits only (no sign, space or prefix), value in [min, max]. */
int st_parse_uint(const char *s, unsigned long long min, unsigned long long max,
		  unsigned long long *out, const char *what, char *err, size_t errlen);

/* "80,443,8000-8080": ports 1-65535, ranges LO-HI with LO <= HI. */
int st_parse_ports(const char *s, struct st_port_range *r, int max, int *n,
		   char *err, size_t errlen);

/* "1234,5678": pids 1-4194304 (PID_MAX_LIMIT). */
int st_parse_pids(const char *s, __u32 *pids, int max, int *n, char *err, size_t errlen);

/* "connect,accept,udp" to a mask of ST_EV_BIT()s. */
int st_parse_events(const char *s, __u32 *mask, char *err, size_t errlen);

/* A byte count with an optional K or M suffix (powers of 1024). */
int st_parse_size(const char *s, unsigned long long *out, char *err, size_t errlen);

/* --metrics [ADDR]:PORT: "localhost:9464", "127.0.0.1:9464", "[::1]:9464", ":9464" */
struct st_listen {
	int family;		/* 4, 6, or 0: every address (IPv6 and IPv4) */
	__u8 addr[16];		/* network byte order */
	__u16 port;		/* host byte order, 1-65535 */
};
int st_parse_listen(const char *s, struct st_listen *out, char *err, size_t errlen);

/*
 * User text for a message: escaped like every untrusted text (no control
 * byte, nothing outside ASCII) and cut to about 40 bytes. Returns buf.
 */
#define ST_QUOTE_LEN	(40 * 4 + 8)
const char *st_quote(const char *s, size_t len, char *buf, size_t buflen);

#endif

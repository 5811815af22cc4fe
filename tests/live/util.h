/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: small helpers every part uses (errors, strings, clocks, files). */
#ifndef ST_LIVE_UTIL_H
#define ST_LIVE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* print "st-live: ...: strerror(errno)" and _exit(99) */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* a bounded copy that always terminates */
void copy_str(char *dst, size_t len, const char *src);

/* copy the line at text into buf (without its newline); return the next line */
const char *next_line(const char *text, char *buf, size_t len);

/* a whole file as a string to free ("" if it can't be read) */
char *slurp(const char *path);

/* write text to the existing file path (die() unless all of it went) */
void write_file(const char *path, const char *text);

/* write n bytes to fd (die() on an error or a short write of 0) */
void send_all(int fd, unsigned n);

/* the running kernel is release major.minor or later */
bool kernel_at_least(unsigned major, unsigned minor);
double now_s(void);		/* CLOCK_MONOTONIC, seconds */
long long epoch_ns(void);	/* CLOCK_REALTIME, nanoseconds */

#endif

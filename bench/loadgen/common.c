// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* loadgen: the state its threads share, the clock, errors and CPU time. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include "loadgen.h"

double deadline;
atomic_bool stop;
atomic_long next_op;
atomic_long done_ops;
atomic_long errors;
atomic_long accepted;
atomic_long received;
atomic_int running;
char first_error[160];
static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void note_error(const char *what)
{
	int e = errno;

	atomic_fetch_add(&errors, 1);
	pthread_mutex_lock(&err_lock);
	if (!first_error[0])
		snprintf(first_error, sizeof(first_error), "%s:%s", what, strerror(e));
	pthread_mutex_unlock(&err_lock);
}

void set_timeouts(int fd, double secs)
{
	struct timeval tv = { .tv_sec = (time_t)secs,
			      .tv_usec = (suseconds_t)((secs - (time_t)secs) * 1e6) };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

bool past_deadline(void)
{
	if (atomic_load_explicit(&stop, memory_order_relaxed))
		return true;
	if (now() >= deadline) {
		atomic_store(&stop, true);
		return true;
	}
	return false;
}

void cpu_us(long *user_us, long *sys_us)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*user_us = (long)ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec;
	*sys_us = (long)ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
}

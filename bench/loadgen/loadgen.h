/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * loadgen's parts: the options (main.c), the state its threads share and
 * their clock (common.c), the TCP storm (tcp.c) and the UDP flood (udp.c).
 */
#ifndef LOADGEN_H
#define LOADGEN_H

#include <stdatomic.h>
#include <stdbool.h>

#define MAX_THREADS	256
#define MAX_FLOWS	1024

struct loadgen_opts {
	bool tcp;
	long n;
	int threads;
	int servers;
	int flows;
	int port;
	int size;
	bool data;
	bool drain;
	double timeout;
};
extern struct loadgen_opts opt;		/* main.c: from the command line */

/* common.c: what the threads share */
extern double deadline;			/* CLOCK_MONOTONIC seconds */
extern atomic_bool stop;		/* timeout or fatal error: everyone leaves */
extern atomic_long next_op;		/* ops handed out */
extern atomic_long done_ops;		/* ops completed */
extern atomic_long errors;
extern atomic_long accepted;		/* tcp: connections accepted */
extern atomic_long received;		/* udp: datagrams drained */
extern atomic_int running;		/* worker threads still in their loop */
extern char first_error[160];

double now(void);
/* counts an error; the first one's errno is kept for the output line */
void note_error(const char *what);
void set_timeouts(int fd, double secs);
/* stop set, or the deadline passed (then sets stop) */
bool past_deadline(void);
/* this process's CPU time so far, all threads */
void cpu_us(long *user_us, long *sys_us);

/* tcp.c: the listener on 127.0.0.1 (opt.port set to its port), its threads */
int tcp_setup(void);
void *tcp_server(void *arg);
void *tcp_client(void *arg);
void tcp_wake(void);			/* shuts the listener down: wakes accept() */

/* udp.c: opt.flows receivers on 127.0.0.1 (opt.port set to the first), the threads */
int udp_setup(void);
void *udp_drain(void *arg);
void *udp_sender(void *arg);

#endif

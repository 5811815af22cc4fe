/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one event loop: epoll over file descriptors (the ring buffer's, and
 * sockets later), timers (timerfd) and signals (signalfd). Each has a handler;
 * the loop runs until a handler returns nonzero.
 */
#ifndef ST_LOOP_H
#define ST_LOOP_H

/*
 * 0: go on; ST_LOOP_STOP: stop the loop; ST_LOOP_DONE: this source is done
 * (the loop forgets it, and closes a timer's descriptor); < 0: stop, with
 * this error
 */
typedef int (*st_loop_fn)(void *ctx);
#define ST_LOOP_STOP	1
#define ST_LOOP_DONE	2

struct st_loop;

struct st_loop *st_loop_new(void);
void st_loop_free(struct st_loop *l);

/* fn when fd is readable (level-triggered). 0 or -errno. */
int st_loop_add_fd(struct st_loop *l, int fd, st_loop_fn fn, void *ctx);

/* fn when fd's far end is gone (EPOLLERR or EPOLLHUP: a pipe's reader closed, a
 * terminal hung up); fd stays the caller's. -EPERM: fd can't be watched (a file). */
int st_loop_add_hangup(struct st_loop *l, int fd, st_loop_fn fn, void *ctx);

/* Watch fd for writable instead of readable (writable != 0), or back. 0 or -errno. */
int st_loop_watch_fd(struct st_loop *l, int fd, int writable);

/* Stop watching fd (the caller closes it); its slot is reused. */
void st_loop_del_fd(struct st_loop *l, int fd);

/* fn first_ns from now (at least 1), then every every_ns (0: once). 0 or -errno. */
int st_loop_add_timer(struct st_loop *l, long long first_ns, long long every_ns, st_loop_fn fn,
		      void *ctx);

/* Block these signals and call fn when one comes, also one that came before
 * this call (signals are blocked from this call on). 0 or -errno. */
int st_loop_add_signals(struct st_loop *l, const int *sigs, int n, st_loop_fn fn, void *ctx);

/* Until a handler stops it: ST_LOOP_STOP, or the handler's error, or epoll's
 * (said on stderr). */
int st_loop_run(struct st_loop *l);

/* clock_gettime() in nanoseconds: CLOCK_MONOTONIC (the timers' clock), CLOCK_REALTIME */
long long st_now_ns(int clock);

#endif

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include "loop.h"

#define MAX_SOURCES	64	/* the ring buffer, timers, signals, the HTTP listener and clients */

enum kind { FD, TIMER, SIGNALS };

struct source {
	enum kind kind;
	int fd;
	st_loop_fn fn;
	void *ctx;
};

struct st_loop {
	int epfd;
	int n;
	struct source src[MAX_SOURCES];
};

struct st_loop *st_loop_new(void)
{
	struct st_loop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		free(l);
		return NULL;
	}
	return l;
}

void st_loop_free(struct st_loop *l)
{
	if (!l)
		return;
	for (int i = 0; i < l->n; i++)
		if (l->src[i].kind != FD)	/* the loop's own */
			close(l->src[i].fd);
	close(l->epfd);
	free(l);
}

static int add_events(struct st_loop *l, enum kind kind, int fd, uint32_t events, st_loop_fn fn,
		      void *ctx)
{
	struct epoll_event ev = { .events = events, .data.u32 = (uint32_t)l->n };

	if (fd < 0)
		return -errno;
	if (l->n == MAX_SOURCES || epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		int err = l->n == MAX_SOURCES ? -ENOSPC : -errno;

		if (kind != FD)
			close(fd);
		return err;
	}
	l->src[l->n++] = (struct source){ kind, fd, fn, ctx };
	return 0;
}

static int add(struct st_loop *l, enum kind kind, int fd, st_loop_fn fn, void *ctx)
{
	return add_events(l, kind, fd, EPOLLIN, fn, ctx);
}

/* a free slot (a removed fd's) is reused before a new one is taken */
static int add_reuse(struct st_loop *l, int fd, st_loop_fn fn, void *ctx)
{
	for (int i = 0; i < l->n; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };

		if (l->src[i].fn)
			continue;
		if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev))
			return -errno;
		l->src[i] = (struct source){ FD, fd, fn, ctx };
		return 0;
	}
	return add(l, FD, fd, fn, ctx);
}

int st_loop_add_fd(struct st_loop *l, int fd, st_loop_fn fn, void *ctx)
{
	return add_reuse(l, fd, fn, ctx);
}

/* no event asked for: epoll always reports EPOLLERR and EPOLLHUP */
int st_loop_add_hangup(struct st_loop *l, int fd, st_loop_fn fn, void *ctx)
{
	return add_events(l, FD, fd, 0, fn, ctx);
}

static struct source *find_fd(struct st_loop *l, int fd)
{
	for (int i = 0; i < l->n; i++)
		if (l->src[i].kind == FD && l->src[i].fd == fd && l->src[i].fn)
			return &l->src[i];
	return NULL;
}

int st_loop_watch_fd(struct st_loop *l, int fd, int writable)
{
	struct source *s = find_fd(l, fd);
	struct epoll_event ev = { .events = writable ? EPOLLOUT : EPOLLIN };

	if (!s)
		return -ENOENT;
	ev.data.u32 = (uint32_t)(s - l->src);
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) ? -errno : 0;
}

void st_loop_del_fd(struct st_loop *l, int fd)
{
	struct source *s = find_fd(l, fd);

	if (!s)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	s->fn = NULL;	/* free; an event already returned for it is skipped */
	s->fd = -1;
}

int st_loop_add_timer(struct st_loop *l, long long first_ns, long long every_ns, st_loop_fn fn,
		      void *ctx)
{
	struct itimerspec its = {
		.it_value = { first_ns / 1000000000LL, first_ns % 1000000000LL },
		.it_interval = { every_ns / 1000000000LL, every_ns % 1000000000LL },
	};
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC), err;

	if (first_ns < 1)
		its.it_value.tv_nsec = 1;	/* 0 would disarm it */
	if (fd >= 0 && timerfd_settime(fd, 0, &its, NULL)) {
		err = -errno;
		close(fd);
		return err;
	}
	return add(l, TIMER, fd, fn, ctx);
}

int st_loop_add_signals(struct st_loop *l, const int *sigs, int n, st_loop_fn fn, void *ctx)
{
	sigset_t set;

	sigemptyset(&set);
	for (int i = 0; i < n; i++)
		sigaddset(&set, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	return add(l, SIGNALS, signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC), fn, ctx);
}

/* what woke a timer or a signal handler is read, so that it does not wake it again */
static void drain(const struct source *s)
{
	struct signalfd_siginfo si;
	unsigned long long expirations;

	if (s->kind == TIMER)
		(void)!read(s->fd, &expirations, sizeof(expirations));
	else if (s->kind == SIGNALS)
		while (read(s->fd, &si, sizeof(si)) == sizeof(si))
			;
}

/* a source whose handler is done: its slot is reused, a timer's descriptor closed */
static void forget(struct st_loop *l, uint32_t i)
{
	struct source *s = &l->src[i];

	epoll_ctl(l->epfd, EPOLL_CTL_DEL, s->fd, NULL);
	if (s->kind == TIMER)
		close(s->fd);
	s->fn = NULL;
	s->fd = -1;
}

int st_loop_run(struct st_loop *l)
{
	struct epoll_event ev[MAX_SOURCES];

	for (;;) {
		int n = epoll_wait(l->epfd, ev, MAX_SOURCES, -1), stop = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			fprintf(stderr, "socktrace: waiting for events failed: %s\n", strerror(err));
			return -err;
		}
		for (int i = 0; i < n; i++) {
			const struct source *s = &l->src[ev[i].data.u32];

			if (!s->fn)
				continue;
			drain(s);
			stop = s->fn(s->ctx);
			if (stop == ST_LOOP_DONE) {
				forget(l, ev[i].data.u32);
				continue;
			}
			if (stop)
				return stop;
		}
	}
}

long long st_now_ns(int clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

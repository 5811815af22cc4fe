// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live: the io_uring actors (liburing). IOU_SERVER listens with the
 * syscalls and takes its count connections through IORING_OP_ACCEPT: one
 * request per connection, or one multishot request for all (IOU_MULTISHOT,
 * Linux 5.19+), optionally forced into an io-wq worker thread (IOU_ASYNC), or
 * submitted by the ring's SQPOLL thread (IOU_SQPOLL). IOU_CLIENT connects
 * through IORING_OP_CONNECT, the same ways. The payload moves with the
 * syscalls; socktrace must report the accepts and the connect as it does the
 * syscalls', on this process, with its name. A UDP server (actors_udp_in.c)
 * may read its datagrams through IORING_OP_RECV (iou_recv()).
 */
#include <errno.h>
#include <liburing.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "actor_io.h"
#include "net.h"
#include "util.h"

/* a ring of 8 entries, or the reason there is none */
static void ring_open(struct io_uring *ring, const struct actor *a)
{
	int err = io_uring_queue_init(8, ring, (a->iou & IOU_SQPOLL) ? IORING_SETUP_SQPOLL : 0);

	if (err) {
		errno = -err;
		die("io_uring_queue_init (kernel.io_uring_disabled: %s)",
		    slurp("/proc/sys/kernel/io_uring_disabled"));
	}
}

static struct io_uring_sqe *sqe_of(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		die("io_uring_get_sqe: the ring is full");
	return sqe;
}

/* submit the prepared sqe (io_uring_prep_*() clear its flags: set after them) */
static void submit(struct io_uring *ring, struct io_uring_sqe *sqe, const struct actor *a)
{
	int n;

	if (a->iou & IOU_ASYNC)
		sqe->flags |= IOSQE_ASYNC;
	n = io_uring_submit(ring);
	if (n != 1) {
		errno = n < 0 ? -n : EIO;
		die("io_uring_submit: %d", n);
	}
}

/* the result of the next completion; more: whether its request goes on (multishot) */
static int cqe_next(struct io_uring *ring, const char *what, bool *more)
{
	struct io_uring_cqe *cqe;
	int err = io_uring_wait_cqe(ring, &cqe), res;

	if (err) {
		errno = -err;
		die("io_uring_wait_cqe (%s)", what);
	}
	res = cqe->res;
	*more = cqe->flags & IORING_CQE_F_MORE;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

/* multishot accept is refused by kernels before 5.19: say so, by name */
static void die_no_multishot(int res)
{
	struct utsname u;

	uname(&u);
	errno = -res;
	die("IORING_OP_ACCEPT with IORING_ACCEPT_MULTISHOT: this kernel (%s) lacks it "
	    "(Linux 5.19+)", u.release);
}

void iou_server(const struct actor *a)
{
	struct io_uring ring;
	int fd = tcp_listen(a);
	bool more = false;

	ring_open(&ring, a);
	for (int i = 0; i < a->count; i++) {
		struct sockaddr_storage peer;
		socklen_t pl = sizeof(peer);
		int c;

		struct io_uring_sqe *sqe;

		if (a->iou & IOU_MULTISHOT) {
			if (!more) {	/* the first, or the kernel ended it: (re)arm */
				sqe = sqe_of(&ring);
				io_uring_prep_multishot_accept(sqe, fd, NULL, NULL, 0);
				submit(&ring, sqe, a);
			}
		} else {
			sqe = sqe_of(&ring);
			io_uring_prep_accept(sqe, fd, (struct sockaddr *)&peer, &pl, 0);
			submit(&ring, sqe, a);
		}
		c = cqe_next(&ring, "accept", &more);
		if (c < 0 && (a->iou & IOU_MULTISHOT) && (c == -EINVAL || c == -EOPNOTSUPP))
			die_no_multishot(c);
		if (c < 0) {
			errno = -c;
			die("IORING_OP_ACCEPT");
		}
		serve(a, c, (a->iou & IOU_MULTISHOT) ? NULL : &peer);
	}
	io_uring_queue_exit(&ring);
	close(fd);
}

int iou_connect(int fd, const struct sockaddr *sa, socklen_t sl, const struct actor *a)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	bool more;
	int res;

	ring_open(&ring, a);
	sqe = sqe_of(&ring);
	io_uring_prep_connect(sqe, fd, sa, sl);
	submit(&ring, sqe, a);
	res = cqe_next(&ring, "connect", &more);
	io_uring_queue_exit(&ring);
	return res;
}

void iou_client(const struct actor *a)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	int fd = socket(a->family, SOCK_STREAM, 0), res;

	if (fd < 0)
		die("socket");
	res = iou_connect(fd, (struct sockaddr *)&ss, sl, a);
	if (res < 0) {
		errno = -res;
		die("IORING_OP_CONNECT %s:%u", a->addr, a->port);
	}
	client_talk(a, fd);
}

/*
 * One datagram from the UDP socket fd into buf through IORING_OP_RECV, in an
 * io-wq worker with a's IOU_ASYNC (one ring kept for all of them).
 */
ssize_t iou_recv(int fd, void *buf, size_t len, const struct actor *a)
{
	static struct io_uring ring;
	static bool open;
	struct io_uring_sqe *sqe;
	bool more;

	if (!open) {
		ring_open(&ring, a);
		open = true;
	}
	sqe = sqe_of(&ring);
	io_uring_prep_recv(sqe, fd, buf, len, 0);
	submit(&ring, sqe, a);
	return cqe_next(&ring, "recv", &more);
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: what the actors share (actors.c, actors_iouring.c): the event a
 * socket makes, reporting it, and moving a connection's payload.
 */
#ifndef ST_LIVE_ACTOR_IO_H
#define ST_LIVE_ACTOR_IO_H

#include <sys/socket.h>
#include <sys/types.h>
#include "actor.h"
#include "ev.h"

/* the event of type this socket's local and peer ends make (peer NULL: getpeername()) */
void ev_of_socket(struct ev *e, const char *type, const char *proto, int fd,
		  const struct sockaddr_storage *peer, const char *comm);
/* the close event of a socket whose open event is e */
void ev_close(struct ev *c, const struct ev *e, unsigned tx, unsigned rx);
/* write e to actor_results_fd */
void report(const struct ev *e);

/* a listening TCP socket at a's address, its listen reported, the leader told it is ready */
int tcp_listen(const struct actor *a);
/* the accepted connection c from peer: reported, its payload moved, closed by this end */
void serve(const struct actor *a, int c, const struct sockaddr_storage *peer);
/* the connected client fd: reported, its payload moved, closed after the server's FIN */
void client_talk(const struct actor *a, int fd);
/* the same, its connect and close carrying rname (NULL: none) */
void client_talk_named(const struct actor *a, int fd, const char *rname);

/* actors_iouring.c: the TCP server and client whose accepts and connect go through io_uring */
void iou_server(const struct actor *a);
void iou_client(const struct actor *a);
/* fd connected to sa through IORING_OP_CONNECT on a ring of its own, a's way: 0 or -errno */
int iou_connect(int fd, const struct sockaddr *sa, socklen_t sl, const struct actor *a);
/* one datagram of the UDP socket fd through IORING_OP_RECV (a's IOU_ASYNC); its length */
ssize_t iou_recv(int fd, void *buf, size_t len, const struct actor *a);

#endif

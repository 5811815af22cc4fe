/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: actors, the processes that make a scenario's traffic inside its
 * network namespace. Each reports the events it made (struct ev records on
 * actor_results_fd), so that what socktrace reported can be compared.
 */
#ifndef ST_LIVE_ACTOR_H
#define ST_LIVE_ACTOR_H

#include <stdbool.h>
#include <sys/types.h>

#define MAX_ACTORS	8

enum actor_kind { TCP_SERVER, TCP_CLIENT, TCP_REFUSED, TCP_TIMEOUT, TCP_STORM, TCP_RESETTER, UDP_UNCONNECTED,
		  UDP_CONNECTED, IOU_SERVER, IOU_CLIENT,
		  /* connects that fail before any SYN (actors_failsyn.c). FAIL_NO_ROUTE: count 0
		   * TCP, 1 UDP. FAIL_BAD_ARG: count 0 an address cut short, 1 on a v6 socket */
		  FAIL_NO_ROUTE, FAIL_NO_PORT, FAIL_DENIED, FAIL_BAD_ARG,
		  /* the received side of UDP (actors_udp_in.c): a receive-only server, a
		   * connected sender, one datagram from each of count ports from port2 on */
		  UDP_RECEIVER, UDP_SENDER, UDP_FLOOD,
		  /* DNS (actors_dns.c): a server on addr:port answering count queries; a client
		   * asking it the first count names of the zone on a connected UDP socket (on
		   * IPv6 each name's A and AAAA), then, with port2, connecting over TCP to the
		   * first name's address of its family, that port. The same over TCP
		   * (actors_dns_tcp.c): the server takes one connection, the client's */
		  DNS_SERVER, DNS_CLIENT, DNS_TCP_SERVER, DNS_TCP_CLIENT };

/* the io_uring actors' ways of making their requests (struct actor.iou) */
#define IOU_MULTISHOT	1u	/* one IORING_OP_ACCEPT with IORING_ACCEPT_MULTISHOT for all */
#define IOU_ASYNC	2u	/* IOSQE_ASYNC: the request runs in an io-wq worker thread */
#define IOU_SQPOLL	4u	/* IORING_SETUP_SQPOLL: a kernel thread of the ring submits */
#define IOU_USE		8u	/* FAIL_NO_ROUTE, FAIL_NO_PORT: connect through io_uring */

/* UDP_RECEIVER's ways of reading (struct actor.recv); none: recv() */
#define RECV_READ	1u	/* read() */
#define RECV_MMSG	2u	/* recvmmsg(), up to 8 at a time */
#define RECV_PEEK	4u	/* recv(MSG_PEEK) twice before each recv() */
#define RECV_IOU	8u	/* IORING_OP_RECV (with IOU_ASYNC in .iou: in an io-wq worker) */

/* TCP_TIMEOUT: the kernel gives up after the SYN and one retry (1 s + 2 s) */
#define TCP_TIMEOUT_MS	3000

struct actor {
	enum actor_kind kind;
	int family;		/* AF_INET or AF_INET6 */
	const char *addr;	/* server address, or the peer's */
	unsigned port;		/* server port, or the peer's */
	unsigned port2;		/* UDP_UNCONNECTED: a second destination */
	int count;		/* TCP_SERVER: accepts; UDP: datagrams per destination */
	const char *comm;	/* NULL: past the scenario's last actor */
	unsigned tx, rx;	/* TCP: payload bytes to send and to receive, per connection */
	unsigned gap_ms;	/* UDP_CONNECTED: send count, wait gap_ms, send count again;
				 * TCP_SERVER: wait gap_ms before the first accept */
	const char *src;	/* TCP_CLIENT: the local address to connect from (NULL: any) */
	unsigned run_as;	/* a uid to become before the traffic (0: stay root) */
	unsigned start_ms;	/* wait this long after the start before any traffic */
	unsigned iou;		/* IOU_SERVER, IOU_CLIENT, FAIL_NO_*: IOU_* flags */
	unsigned recv;		/* UDP_RECEIVER: RECV_* flags */
	bool background;	/* the next actors start without waiting for this one */
	bool far;		/* runs in the scenario's far namespace (scenario.veth) */
	/*
	 * A cgroup to join (under cgroups.h's LIVE_SLICE) before the traffic, and
	 * what its events then carry: "path=BASENAME ctr=ID pod=UID unit=NAME",
	 * the keys socktrace gives (parse.c), each only when given. NULL: stay.
	 */
	const char *cgroup;
	const char *who;
};

/* what a running actor has: its pid, and the pipe its leader starts it with */
struct actor_run {
	pid_t pid;
	int go[2];		/* the leader writes one byte: start */
};

extern int actor_results_fd;	/* actors write struct ev records here */
extern int actor_ready_fd;	/* servers write one byte when listening */

struct ev;
struct sockaddr_storage;

/* the event type/proto of socket fd: its local end, and peer (NULL: its peer) */
void ev_of_socket(struct ev *e, const char *type, const char *proto, int fd,
		  const struct sockaddr_storage *peer, const char *comm);
/* an event the actor made, to the leader */
void report(const struct ev *e);
/* the FAIL_* kinds' traffic (actors_failsyn.c) */
void run_failsyn_actor(const struct actor *a);
/* UDP_RECEIVER, UDP_SENDER, UDP_FLOOD (actors_udp_in.c) */
void run_udp_in_actor(const struct actor *a);
/* DNS_SERVER, DNS_CLIENT (actors_dns.c), and over TCP through run_dns_tcp_actor() */
void run_dns_actor(const struct actor *a);
/* DNS_TCP_SERVER, DNS_TCP_CLIENT (actors_dns_tcp.c) */
void run_dns_tcp_actor(const struct actor *a);

/* in a forked child: wait for the go byte, make the traffic, report it, _exit */
void run_actor(const struct actor *a, const struct actor_run *r) __attribute__((noreturn));

#endif

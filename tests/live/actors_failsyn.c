// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live actors whose connect() fails before any SYN leaves: no route
 * (FAIL_NO_ROUTE), no free local port (FAIL_NO_PORT), refused by a cgroup
 * connect program (FAIL_DENIED), a bad argument (FAIL_BAD_ARG). Each reports the fail event socktrace must
 * show: the errno's name, the destination asked for, the socket's local end
 * as getsockname() gives it after the failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "actor.h"
#include "actor_io.h"
#include "cgroup_root.h"
#include "ev.h"
#include "net.h"
#include "util.h"

/* the most connects FAIL_NO_PORT makes before the one that must fail */
#define MAX_HELD	8

/*
 * connect() of fd to sa, or IORING_OP_CONNECT with a->iou (IOU_USE, and its
 * IOU_* ways): 0, or -1 with errno.
 */
static int connect_as(const struct actor *a, int fd, const struct sockaddr_storage *ss, socklen_t sl)
{
	int res;

	if (!a->iou)
		return connect(fd, (const struct sockaddr *)ss, sl);
	res = iou_connect(fd, (const struct sockaddr *)ss, sl, a);
	if (res < 0)
		errno = -res;
	return res < 0 ? -1 : 0;
}

static const char *proto_name(int type)
{
	return type == SOCK_DGRAM ? "udp" : "tcp";
}

/*
 * connect() to the actor's address on a fresh socket of family sfam must fail
 * with err; report the fail as reason. cut: give only that many bytes of the
 * address (0: all of it).
 */
static void connect_fails_as(const struct actor *a, int sfam, int type, socklen_t cut, int err,
			     const char *reason)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(a->family, a->addr, a->port, &ss);
	int fd = socket(sfam, type, 0);
	struct ev e;

	if (cut)
		sl = cut;
	if (fd < 0)
		die("socket");
	if (connect_as(a, fd, &ss, sl) == 0)
		die("connect to %s:%u: expected %s, it succeeded", a->addr, a->port, strerror(err));
	if (errno != err)
		die("connect to %s:%u: expected %s, got %s", a->addr, a->port, strerror(err),
		    strerror(errno));
	ev_of_socket(&e, "fail", proto_name(type), fd, &ss, a->comm);
	copy_str(e.reason, sizeof(e.reason), reason);
	report(&e);
	close(fd);
}

static void connect_must_fail(const struct actor *a, int type, int err, const char *reason)
{
	connect_fails_as(a, a->family, type, 0, err, reason);
}

/*
 * Every port of a 4-port range held by connections to a listener of our
 * own, then one connect more: EADDRNOTAVAIL. The range is this network
 * namespace's own. The held connections are reset at the end (SO_LINGER 0),
 * so that their closes are seen at once.
 */
static void no_free_port(const struct actor *a)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(AF_INET, a->addr, a->port, &ss);
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0), held[MAX_HELD], n = 0;
	struct ev e, opens[MAX_HELD];

	write_file("/proc/sys/net/ipv4/ip_local_port_range", "40000 40003");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&ss, sl) || listen(lfd, 16))
		die("listener %s:%u", a->addr, a->port);
	ev_of_socket(&e, "listen", "tcp", lfd, &ss, a->comm);
	copy_str(e.raddr, sizeof(e.raddr), "0.0.0.0");
	e.rport = 0;
	report(&e);
	for (;;) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0)
			die("socket");
		/* the held ones with the syscall, the one that fails a's way */
		if ((n < 4 ? connect(fd, (struct sockaddr *)&ss, sl) : connect_as(a, fd, &ss, sl)) == 0) {
			if (n == MAX_HELD)
				die("connect %d of a 4-port range succeeded", n + 1);
			ev_of_socket(&opens[n], "connect", "tcp", fd, NULL, a->comm);
			report(&opens[n]);
			held[n++] = fd;
			continue;
		}
		if (errno != EADDRNOTAVAIL)
			die("connect %d: expected EADDRNOTAVAIL", n + 1);
		if (n != 4)
			die("EADDRNOTAVAIL after %d connects, not 4 (the range's ports)", n);
		ev_of_socket(&e, "fail", "tcp", fd, &ss, a->comm);
		copy_str(e.reason, sizeof(e.reason), "EADDRNOTAVAIL");
		report(&e);
		close(fd);
		break;
	}
	for (int i = 0; i < n; i++) {
		struct linger lg = { 1, 0 };

		setsockopt(held[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(held[i]);
		e = opens[i];
		copy_str(e.event, sizeof(e.event), "close");
		report(&e);
	}
	close(lfd);
}

/* a cgroup connect program that refuses every connect (r0 = 0; exit), or -1 */
static int deny_prog(enum bpf_attach_type type)
{
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr at;

	memset(&at, 0, sizeof(at));
	at.prog_type = BPF_PROG_TYPE_CGROUP_SOCK_ADDR;
	at.expected_attach_type = type;
	at.insns = (__u64)(unsigned long)insns;
	at.insn_cnt = 2;
	at.license = (__u64)(unsigned long)"GPL";
	return (int)syscall(SYS_bpf, BPF_PROG_LOAD, &at, sizeof(at));
}

static void deny_attach(int cg, enum bpf_attach_type type)
{
	int prog = deny_prog(type);
	union bpf_attr at;

	memset(&at, 0, sizeof(at));
	at.target_fd = (__u32)cg;
	at.attach_bpf_fd = (__u32)prog;
	at.attach_type = type;
	if (prog < 0 || syscall(SYS_bpf, BPF_PROG_ATTACH, &at, sizeof(at)))
		die("load and attach a cgroup connect program (type %d)", (int)type);
	close(prog);	/* the attachment holds it */
}

/* this process into the cgroup v2 directory dir */
static void join_cgroup(const char *dir)
{
	char path[4200], pid[16];

	if (snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >= (int)sizeof(path))
		die("a cgroup path too long: %s", dir);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	write_file(path, pid);
}

/*
 * A cgroup of its own, whose connect4 and connect6 programs refuse every
 * connect: connect() fails with EPERM before the kernel looks for a route.
 * The actor leaves it at the end, and removes it (the programs go with it).
 */
static void denied(const struct actor *a)
{
	char root[4096], dir[4200];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = f ? st_cgroup2_root(f, root, sizeof(root)) : -1, cg;

	if (f)
		fclose(f);
	if (found)
		die("no cgroup v2 mount in /proc/self/mountinfo");
	if (snprintf(dir, sizeof(dir), "%s/st-live-denied-%d", root, (int)getpid()) >=
	    (int)sizeof(dir))
		die("a cgroup path too long: %s", root);
	if (mkdir(dir, 0755))
		die("mkdir %s", dir);
	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		die("open %s", dir);
	deny_attach(cg, BPF_CGROUP_INET4_CONNECT);
	deny_attach(cg, BPF_CGROUP_INET6_CONNECT);
	join_cgroup(dir);
	connect_must_fail(a, SOCK_STREAM, EPERM, "EPERM");
	connect_must_fail(a, SOCK_DGRAM, EPERM, "EPERM");
	join_cgroup(root);
	close(cg);
	if (rmdir(dir))
		die("rmdir %s", dir);
}

void run_failsyn_actor(const struct actor *a)
{
	switch (a->kind) {
	case FAIL_NO_ROUTE:
		connect_must_fail(a, a->count ? SOCK_DGRAM : SOCK_STREAM, ENETUNREACH,
				  "unreachable");
		break;
	case FAIL_NO_PORT:
		no_free_port(a);
		break;
	case FAIL_DENIED:
		denied(a);
		break;
	case FAIL_BAD_ARG:	/* a sockaddr_in cut to its address's end, or on a v6 socket */
		if (a->count)
			connect_fails_as(a, AF_INET6, SOCK_STREAM, 0, EINVAL, "EINVAL");
		else
			connect_fails_as(a, AF_INET, SOCK_STREAM, 8, EINVAL, "EINVAL");
		break;
	default:
		die("actor kind %d", (int)a->kind);
	}
}

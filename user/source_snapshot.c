// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loop.h"
#include "map_empty.h"
#include "socktrace.h"
#include "socktrace.skel.h"
#include "source_snapshot.h"

#define MAX_NETNS	4096	/* snap_netns's size */
#define READ_RECS	256	/* records the buffer holds */
/*
 * The most one read() asks for. The kernel fills its seq buffer (8 pages, at
 * least 32 KiB) while less than the read's size is in it, then shows one more
 * socket: a record that overflows the buffer is dropped and its socket shown
 * again by the next read(), the program run twice, and the second run finds
 * its holders taken by the first (the socket would be lost, counted as held
 * by no process). Asking for at most 32 KiB less one record, nothing overflows.
 */
#define READ_MAX	(32768 - sizeof(struct st_existing))

struct netns {
	unsigned long long inum;
	int fd;
};

struct netns_set {
	struct netns ns[MAX_NETNS];
	unsigned n;
};

static bool netns_known(const struct netns_set *s, unsigned long long inum)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->ns[i].inum == inum)
			return true;
	return false;
}

/* keep fd (a namespace file) unless its namespace is known already */
static void netns_add(struct netns_set *s, int fd)
{
	struct stat st;

	if (fd < 0)
		return;
	if (fstat(fd, &st) || netns_known(s, st.st_ino) || s->n == MAX_NETNS) {
		close(fd);
		return;
	}
	s->ns[s->n++] = (struct netns){ st.st_ino, fd };
}

/*
 * The namespace of socket descriptor fd of process pid: the process's own
 * namespace when it is that one, else the socket's, through a copy of the
 * descriptor (pidfd_getfd, 5.6 and later) and SIOCGSKNS.
 */
static int netns_open(__u32 inum, __u32 pid, __u32 fd)
{
	char path[64];
	struct stat st;
	int ns, pidfd, sock;

	snprintf(path, sizeof(path), "/proc/%u/ns/net", pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns >= 0 && fstat(ns, &st) == 0 && st.st_ino == inum)
		return ns;
	if (ns >= 0)
		close(ns);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -1;
	sock = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	if (sock < 0)
		return -1;
	ns = ioctl(sock, SIOCGSKNS);
	close(sock);
	return ns;
}

/* every namespace a held socket is in (snap_netns), each made by `ip netns add`, and ours */
static void netns_find(struct socktrace_bpf *skel, struct netns_set *s, unsigned *failed)
{
	int map = bpf_map__fd(skel->maps.snap_netns);
	__u32 key, next, *prev = NULL;
	struct { __u32 pid, fd; } way;
	struct dirent *d;
	DIR *dir;

	netns_add(s, open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
	while (bpf_map_get_next_key(map, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (netns_known(s, key) || bpf_map_lookup_elem(map, &key, &way))
			continue;
		int fd = netns_open(key, way.pid, way.fd);

		if (fd < 0)
			(*failed)++;
		netns_add(s, fd);
	}
	dir = opendir("/run/netns");
	while (dir && (d = readdir(dir)))
		if (d->d_name[0] != '.')
			netns_add(s, openat(dirfd(dir), d->d_name, O_RDONLY | O_CLOEXEC));
	if (dir)
		closedir(dir);
}

/* one record of an existing socket: counted, then to the sink unless its kind is left out */
static void existing_seen(struct st_run *r, const struct st_existing *x)
{
	const struct st_event *e = &x->event;

	if (e->type < ST_EV_MAX)
		r->snap.kinds[e->type]++;
	if (e->proto == 17)
		r->snap.udp[e->state == 1]++;
	else
		r->snap.tcp[e->state & (ST_TCP_STATES - 1)]++;
	if (!(r->o->event_mask & ST_EV_BIT(e->type)))
		return;
	r->existing = x;
	r->sink(r, e);
	r->existing = NULL;
}

/* run the iterator of link to its end, each whole record to existing_seen() */
static int iter_read(struct st_run *r, int iter_fd)
{
	static struct st_existing buf[READ_RECS];
	size_t have = 0;

	for (;;) {
		size_t room = sizeof(buf) - have;
		ssize_t n = read(iter_fd, (char *)buf + have, room < READ_MAX ? room : READ_MAX);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		have += (size_t)n;
		size_t whole = have / sizeof(buf[0]);

		for (size_t i = 0; i < whole; i++)
			existing_seen(r, &buf[i]);
		have -= whole * sizeof(buf[0]);
		memmove(buf, (char *)buf + whole * sizeof(buf[0]), have);
		if (whole && r->o->stream)
			fflush(stdout);
	}
}

/* the iterator of link made in namespace ns (it walks the namespace it was made in) */
static int iter_in(struct bpf_link *link, int ns, int home)
{
	int fd;

	if (setns(ns, CLONE_NEWNET))
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	fd = fd < 0 ? -errno : fd;
	if (setns(home, CLONE_NEWNET)) {
		fprintf(stderr, "socktrace: can't go back to the first network namespace: %s\n",
			strerror(errno));
		_exit(1);	/* a socket made now would land in the wrong one */
	}
	return fd;
}

static int walk(struct st_run *r, struct bpf_link *link, int ns, int home)
{
	int fd = iter_in(link, ns, home), err;

	if (fd < 0)
		return fd;
	err = iter_read(r, fd);
	close(fd);
	return err;
}

/* who holds which socket: the task_file pass fills the kernel's sock_holders */
/*
 * One walk of the iterator behind link, read to its end (its programs write
 * nothing we keep, or only a little): 0 or -errno.
 */
static int drain(int link)
{
	char sink[4096];
	int fd = bpf_iter_create(link);
	ssize_t n;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, sink, sizeof(sink))) > 0 || (n < 0 && errno == EINTR))
		;
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

static int holders_pass(struct socktrace_bpf *skel)
{
	return drain(bpf_link__fd(skel->links.snap_task_file));
}

/* one read() of a map element iterator (prog attached to map): 0 or -errno */
static int iterate(struct bpf_program *prog, struct bpf_map *map)
{
	LIBBPF_OPTS(bpf_iter_attach_opts, opts);
	union bpf_iter_link_info info = {};
	struct bpf_link *link;
	int err;

	info.map.map_fd = bpf_map__fd(map);
	opts.link_info = &info;
	opts.link_info_len = sizeof(info);
	link = bpf_program__attach_iter(prog, &opts);
	if (!link)
		return -errno;
	err = drain(bpf_link__fd(link));
	bpf_link__destroy(link);
	return err;
}

/*
 * map emptied by prog, a map element iterator that deletes each element it
 * is shown (bpf/iter.bpf.c) and counts them in *deleted (NULL: uncounted):
 * how many went, or -errno; *in_kernel when prog alone emptied it. An
 * element freed under the walk may be reused at once by an insert, and the
 * walk then leave the rest of its bucket unseen: so walked again while a
 * key is left (asking for the first key holds no bpf_prog_active, unlike a
 * delete). Where prog is not loaded (user/backend_config.c: the kernel
 * refuses such programs, or --snapshot) or still leaves keys, by bpf()
 * deletes.
 */
static long long forget(struct bpf_program *prog, struct bpf_map *map, const __u64 *deleted,
			bool *in_kernel)
{
	int fd = bpf_map__fd(map);
	long long gone = 0, n;
	__u8 key[64];

	if (bpf_map__key_size(map) > sizeof(key))
		return -E2BIG;
	if (bpf_program__fd(prog) >= 0) {
		for (int pass = 0; pass < 3 && !bpf_map_get_next_key(fd, NULL, key); pass++)
			if (iterate(prog, map))
				break;
		gone = deleted ? (long long)*deleted : 0;
	}
	*in_kernel = false;
	if (bpf_map_get_next_key(fd, NULL, key)) {	/* empty */
		*in_kernel = bpf_program__fd(prog) >= 0;
		return gone;
	}
	n = st_map_empty(fd, bpf_map__key_size(map));
	return n < 0 ? n : gone + n;
}

/* what the passes left in the maps they alone use: holders of sockets gone meanwhile */
static void holders_clear(struct socktrace_bpf *skel)
{
	bool in_kernel;

	forget(skel->progs.forget_holders, skel->maps.sock_holders, NULL, &in_kernel);
}

int st_snapshot_run(struct st_run *r)
{
	static struct netns_set set;
	struct socktrace_bpf *skel = r->skel;
	long long start = st_now_ns(CLOCK_MONOTONIC);
	int err, home;

	err = holders_pass(skel);
	if (err)
		goto out;
	netns_find(skel, &set, &r->snap.netns_failed);
	home = set.n ? set.ns[0].fd : -1;	/* ours: the first one added */
	for (unsigned i = 0; i < set.n && !err; i++) {
		err = walk(r, skel->links.snap_tcp, set.ns[i].fd, home);
		if (!err)
			err = walk(r, skel->links.snap_udp, set.ns[i].fd, home);
		if (err == -EPERM || err == -EINVAL) {	/* a namespace we may not enter */
			r->snap.netns_failed++;
			err = 0;
			continue;
		}
		r->snap.netns++;
	}
	for (unsigned i = 0; i < set.n; i++)
		close(set.ns[i].fd);
	set.n = 0;
out:
	/* from here the live hooks report every open alone */
	__atomic_store_n(&skel->bss->snapshot_on, 0, __ATOMIC_SEQ_CST);
	holders_clear(skel);
	memcpy(r->snap.unheld_tcp, (void *)skel->bss->unheld_tcp, sizeof(r->snap.unheld_tcp));
	r->snap.unheld_udp = skel->bss->unheld_udp;
	r->snap.full = skel->bss->snapshot_full + skel->bss->holders_full;
	r->snap.took_ns = st_now_ns(CLOCK_MONOTONIC) - start;
	r->snap.done = !err;
	if (err)
		fprintf(stderr, "socktrace: the snapshot of existing sockets failed: %s\n",
			strerror(-err));
	if (r->o->stream)
		fflush(stdout);
	return err ? -1 : 0;
}

/*
 * MEMBARRIER_CMD_GLOBAL returns after an RCU grace period, and every BPF
 * program runs inside an RCU read-side section: a hook that read
 * snapshot_on as 1 has made its claim by then. Where the kernel refuses it
 * (nohz_full), a pause far longer than one program run stands in for it.
 */
void st_snapshot_forget(struct st_run *r)
{
	long long n;

	if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
		usleep(50 * 1000);
	n = forget(r->skel->progs.forget_claims, r->skel->maps.snap_claims,
		   &r->skel->bss->claims_forgotten, &r->snap.claims_in_kernel);
	if (n < 0) {
		fprintf(stderr, "socktrace: can't empty the snapshot's claims map: %s\n",
			strerror((int)-n));
		return;
	}
	r->snap.claims_emptied = (unsigned long long)n;
	r->snap.claims_done = true;
}

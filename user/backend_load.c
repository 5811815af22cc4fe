// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loading one backend: the load (its configuration: backend_config.c), the
 * state-change worker's slot, and attaching.
 */
#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "backend_int.h"
#include "cgroup_root.h"
#include "load_heap.h"
#include "start_marks.h"
#include "socktrace.skel.h"

/* the second attachment of the accept exit, which the skeleton does not hold */
static struct bpf_link *accept_link;
/* the kprobe backend's accept: one of its two programs, attached by hand (attach_accept()) */
static struct bpf_link *kp_accept_link;
/* io_uring's raw tracepoints (bpf/tp_iouring.bpf.c), attached by hand */
static struct bpf_link *iou_links[2];	/* the accepts': the submission, the completion */
static struct bpf_link *iou_conn_links[2];	/* the connects' */

/*
 * The io_uring programs for layout (bpf/tp_iouring.bpf.c): p[0] the
 * submission's, p[1] and p[2] the completion's, tried in that order (NULLs:
 * none).
 */
static void iou_progs(struct socktrace_bpf *s, enum st_iou_layout layout, struct bpf_program *p[3])
{
	p[0] = layout == ST_IOU_CQE ? s->progs.tp_iou_submit :
	       layout == ST_IOU_SQE_REQ ? s->progs.tp_iou_submit_sqe_req :
	       layout == ST_IOU_SQE ? s->progs.tp_iou_submit_sqe : NULL;
	p[1] = p[0] ? s->progs.tp_iou_complete_req : NULL;
	p[2] = layout == ST_IOU_CQE ? s->progs.tp_iou_complete :
	       p[0] ? s->progs.tp_iou_complete_old : NULL;
}

/* the io_uring connects' programs, where their layout is (on), as iou_progs() */
static void iou_conn_progs(struct socktrace_bpf *s, bool on, struct bpf_program *p[3])
{
	p[0] = on ? s->progs.tp_iou_submit_conn : NULL;
	p[1] = on ? s->progs.tp_iou_complete_req_conn : NULL;
	p[2] = on ? s->progs.tp_iou_complete_conn : NULL;
}

/*
 * A pair of io_uring programs p (iou_progs(), iou_conn_progs()) into links,
 * where the kernel has the tracepoints: a kernel without them (or built
 * without io_uring) leaves io_uring's accepts (tracepoint backend) or
 * connects' failures unseen, as the README's known gaps say, and
 * everything else traced. The completion's first program attaches where
 * the tracepoint has the arguments it reads, the second elsewhere.
 */
static void attach_iou_pair(struct bpf_program *p[3], enum st_iou_layout layout,
			    struct bpf_link *links[2])
{
	if (!p[0])
		return;
	links[0] = bpf_program__attach(p[0]);
	/*
	 * 6.0 to 6.3 pass the request as io_uring_submit_sqe(req, ...); 6.4
	 * renamed it io_uring_submit_req. (5.19's io_uring_submit_sqe(ctx, req,
	 * user_data, opcode, ...) has io_kiocb.cqe too, and no Debian kernel:
	 * there the program reads the ring as a request, finds no accept's or
	 * connect's opcode where it looks, and those requests go unseen.)
	 */
	if (!links[0] && layout == ST_IOU_CQE)
		links[0] = bpf_program__attach_raw_tracepoint(p[0], "io_uring_submit_sqe");
	if (!links[0])
		return;
	links[1] = bpf_program__attach(p[1]);
	if (!links[1])
		links[1] = bpf_program__attach(p[2]);
	if (links[1])
		return;
	bpf_link__destroy(links[0]);
	links[0] = NULL;
}

/* the state-change worker into its slot, before anything is attached */
static int set_state_worker(struct socktrace_bpf *s, int backend, char *why, size_t len)
{
	int fd = bpf_program__fd(st_backend_progs(s, backend).state_work);
	__u32 slot = ST_STATE_WORK_SLOT;

	if (bpf_map_update_elem(bpf_map__fd(s->maps.state_work), &slot, &fd, BPF_ANY)) {
		st_failure(why, len, "load (state worker)", errno);
		return -1;
	}
	return 0;
}

/*
 * The state-change programs before the opens' hooks (main one first): an
 * open seen before its close could be followed would be an open with no
 * close; a close with no open seen is nothing (its owner is not kept). The
 * skeleton's attach leaves a program whose link is set alone.
 */
static int attach_state_first(struct socktrace_bpf *s, int backend)
{
	const struct backend_progs p = st_backend_progs(s, backend);
	struct bpf_program *first[] = { p.state_main, p.state_nested };

	for (int k = 0; k < 2; k++)
		for (int i = 0; i < s->skeleton->prog_cnt; i++) {
			struct bpf_link **link = s->skeleton->progs[i].link;

			if (*s->skeleton->progs[i].prog != first[k])
				continue;
			*link = bpf_program__attach(first[k]);
			if (!*link)
				return -errno;
		}
	return 0;
}

/* the --cgroup and --container subtrees into their slots, before anything is attached */
static int set_cgroups(struct socktrace_bpf *s, const struct st_opts *o, char *why, size_t len)
{
	for (__u32 i = 0; i < (__u32)o->n_cgroup_fds; i++) {
		if (bpf_map_update_elem(bpf_map__fd(s->maps.filter_cgroups), &i, &o->cgroup_fds[i],
					BPF_ANY)) {
			st_failure(why, len, "load (cgroup filter)", errno);
			return -1;
		}
	}
	return 0;
}

/*
 * The kprobe backend's accepts (bpf/kprobe.bpf.c): an entry probe on
 * security_sock_graft(), else, on a kernel without it, the return probe
 * on inet_csk_accept(). 0, or -1 with why.
 */
static int attach_kprobe_accept(struct socktrace_bpf *s, char *why, size_t len)
{
	kp_accept_link = bpf_program__attach(s->progs.kp_accept);
	if (!kp_accept_link)
		kp_accept_link = bpf_program__attach(s->progs.kp_accept_ret);
	if (!kp_accept_link) {
		st_failure(why, len, "attach", -errno);
		return -1;
	}
	return 0;
}

/*
 * The DNS answers' program on the cgroup v2 root, through a link the
 * skeleton holds: it goes when the skeleton is destroyed, or with the
 * process however it ends.
 */
static int attach_dns(struct socktrace_bpf *s, char *why, size_t len)
{
	char root[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int fd, found = f ? st_cgroup2_root(f, root, sizeof(root)) : -1;

	if (f)
		fclose(f);
	if (found) {
		snprintf(why, len, "dns: no cgroup v2 mount found in /proc/self/mountinfo "
			 "(mount one: mount -t cgroup2 none /sys/fs/cgroup)");
		return -1;
	}
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "dns: can't open the cgroup v2 root %s: %s", root,
			 strerror(errno));
		return -1;
	}
	s->links.dns_ingress = bpf_program__attach_cgroup(s->progs.dns_ingress, fd);
	close(fd);
	if (!s->links.dns_ingress) {
		st_failure(why, len, "attach (dns)", -errno);
		return -1;
	}
	return 0;
}

int st_backend_load(int backend, const struct st_opts *o, struct socktrace_bpf **skel,
		    char *why, size_t len)
{
	struct bpf_program *accept_prog = NULL;
	enum st_iou_layout iou_layout = ST_IOU_NONE;
	struct bpf_program *iou[3] = { NULL, NULL, NULL }, *iou_conn[3] = { NULL, NULL, NULL };
	struct socktrace_bpf *s;
	struct st_load_heap heap;
	struct premaker pm;
	int err;

	/* every backend attaches the connect() syscall tracepoints (not --snapshot's) */
	if (!o->snapshot && st_ensure_tracefs(why, len))
		return -1;
	/* libbpf reads the kernel's BTF (megabytes) into fresh memory: user/load_heap.c */
	st_load_heap_begin(&heap);
	s = socktrace_bpf__open();
	if (!s) {
		st_failure(why, len, "open", errno);
		st_load_heap_end(&heap);
		return -1;
	}
	st_start_mark("open");
	st_backend_configure(s, backend, o);
	if (o->snapshot)
		st_backend_snapshot_only(s);
	/* every backend walks a descriptor to its socket: connect() (bpf/connect_fail.bpf.c) */
	st_premake_start(&pm, s->obj, !o->snapshot);
	st_parse_kernel_btf(s->obj);
	st_load_heap_parsed(&heap);
	malloc_trim(0);
	st_start_mark("btf");
	st_premake_finish(&pm);
	st_start_mark("maps");
	if (pm.want_members && st_set_members(s, &pm, why, len)) {
		st_load_heap_end(&heap);
		goto fail;
	}
	/* the kprobe backend's accept: attach_kprobe_accept() picks one of two */
	bpf_program__set_autoattach(s->progs.kp_accept, false);
	bpf_program__set_autoattach(s->progs.kp_accept_ret, false);
	if (backend == ST_BACKEND_TRACEPOINT && !o->snapshot) {
		/* one accept exit of the two: see bpf/tp_accept_btf.bpf.c */
		bpf_program__set_autoload(s->progs.tp_accept_exit, !pm.has_cast);
		bpf_program__set_autoload(s->progs.tp_accept_exit_btf, pm.has_cast);
		accept_prog = pm.has_cast ? s->progs.tp_accept_exit_btf : s->progs.tp_accept_exit;
	}
	/*
	 * io_uring: the pairs of the kernel's layout (bpf/tp_iouring.bpf.c),
	 * the accepts' for the tracepoint backend, the connects' for all
	 */
	if (!o->snapshot && pm.want_members) {
		iou_layout = st_iouring_layout(&pm);
		iou_progs(s, backend == ST_BACKEND_TRACEPOINT ? iou_layout : ST_IOU_NONE, iou);
		iou_conn_progs(s, st_iouring_connects(s, &pm, iou_layout), iou_conn);
		for (int i = 0; i < 3; i++) {
			struct bpf_program *p[2] = { iou[i], iou_conn[i] };

			for (int j = 0; j < 2; j++) {
				if (!p[j])
					continue;
				bpf_program__set_autoload(p[j], true);
				bpf_program__set_autoattach(p[j], false);
			}
		}
	}
	err = socktrace_bpf__load(s);
	st_start_mark("load");
	st_load_heap_end(&heap);
	if (err) {
		st_failure(why, len, "load", err);
		goto fail;
	}
	if ((!o->snapshot && set_state_worker(s, backend, why, len)) ||
	    set_cgroups(s, o, why, len))
		goto fail;
	/* live opens claim their sockets until the snapshot is done (source_snapshot.c) */
	s->bss->snapshot_on = 1;
	err = o->snapshot ? 0 : attach_state_first(s, backend);
	if (!err)
		err = socktrace_bpf__attach(s);	/* with --snapshot: the iterators alone */
	if (err) {
		st_failure(why, len, "attach", err);
		goto fail;
	}
	if (backend == ST_BACKEND_TRACEPOINT && !o->snapshot) {
		/* the skeleton attached it to sys_exit_accept4; plain accept() too */
		accept_link = bpf_program__attach_tracepoint(accept_prog, "syscalls",
							     "sys_exit_accept");
		if (!accept_link) {
			err = -errno;
			st_failure(why, len, "attach", err);
			goto fail;
		}
	}
	if (!o->snapshot) {
		attach_iou_pair(iou, iou_layout, iou_links);
		attach_iou_pair(iou_conn, iou_layout, iou_conn_links);
	}
	if (backend == ST_BACKEND_KPROBE && !o->snapshot && attach_kprobe_accept(s, why, len))
		goto fail;
	if (o->names && attach_dns(s, why, len))
		goto fail;
	st_start_mark("attach");
	*skel = s;
	return 0;
fail:
	st_backend_unload(s);	/* the links attached by hand too: another backend may follow */
	return -1;
}

/* p's skipped runs added to *missed, and "name N" to which if any */
static void add_missed(const struct bpf_program *p, unsigned long long *missed, char *which,
		       size_t len, size_t *used)
{
	struct bpf_prog_info info;
	__u32 info_len = sizeof(info);
	int fd = bpf_program__fd(p);

	memset(&info, 0, sizeof(info));
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &info_len) || !info.recursion_misses)
		return;
	*missed += info.recursion_misses;
	if (*used < len)
		*used += (size_t)snprintf(which + *used, len - *used, "%s%s %llu",
					  *used ? ", " : "", bpf_program__name(p),
					  (unsigned long long)info.recursion_misses);
}

unsigned long long st_backend_missed(struct socktrace_bpf *skel, char *which, size_t len)
{
	unsigned long long missed = 0;
	size_t used = 0;

	/*
	 * The hooks of every backend (those not loaded have no descriptor),
	 * the DNAT bindings of fentry and kprobe, the connect syscall's
	 * tracepoints every backend loads, and io_uring's. Not the state-change programs: a
	 * change one of the pair skips, the other handles. which: "name N,
	 * name N" of those that missed.
	 */
	if (len)
		which[0] = '\0';
	for (int b = 0; b < ST_BACKEND_MAX; b++) {
		const struct backend_progs p = st_backend_progs(skel, b);

		for (int i = 0; i < MAX_HOOKS && p.hooks[i]; i++)
			add_missed(p.hooks[i], &missed, which, len, &used);
	}
	struct bpf_program *more[] = {
		skel->progs.fe_nat_setup, skel->progs.kp_nat_setup,
		skel->progs.sys_connect_enter, skel->progs.sys_connect_exit,
		skel->progs.tp_iou_submit, skel->progs.tp_iou_submit_sqe_req,
		skel->progs.tp_iou_submit_sqe, skel->progs.tp_iou_complete,
		skel->progs.tp_iou_complete_req, skel->progs.tp_iou_complete_old,
		skel->progs.tp_iou_submit_conn, skel->progs.tp_iou_complete_conn,
		skel->progs.tp_iou_complete_req_conn,
	};

	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		add_missed(more[i], &missed, which, len, &used);
	return missed;
}

void st_backend_unload(struct socktrace_bpf *skel)
{
	bpf_link__destroy(kp_accept_link);
	kp_accept_link = NULL;
	bpf_link__destroy(accept_link);
	accept_link = NULL;
	for (int i = 0; i < 2; i++) {
		bpf_link__destroy(iou_links[i]);
		iou_links[i] = NULL;
		bpf_link__destroy(iou_conn_links[i]);
		iou_conn_links[i] = NULL;
	}
	socktrace_bpf__destroy(skel);
}

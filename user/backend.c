// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "btfscan.h"
#include "socktrace.skel.h"
#include "probe.skel.h"

static bool log_verbose;
static bool mounted_tracefs;

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	return log_verbose ? vfprintf(stderr, fmt, args) : 0;
}

void st_libbpf_log_setup(bool verbose)
{
	log_verbose = verbose;
	libbpf_set_print(libbpf_log);
}

/* "load: Operation not permitted" */
static void failure(char *why, size_t len, const char *step, int err)
{
	snprintf(why, len, "%s: %s", step, strerror(err < 0 ? -err : err));
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Syscall tracepoints are found through tracefs. libbpf 1.x looks in
 * /sys/kernel/debug/tracing when that exists, else in /sys/kernel/tracing;
 * tracefs is often not mounted on a fresh boot, so mount it there if needed.
 */
static int ensure_tracefs(char *why, size_t len)
{
	const char *root = access("/sys/kernel/debug/tracing", F_OK) == 0 ?
				   "/sys/kernel/debug/tracing" : "/sys/kernel/tracing";
	char path[128];

	snprintf(path, sizeof(path), "%s/events", root);
	if (!is_dir(path)) {
		if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL)) {
			snprintf(why, len, "tracefs is not mounted and mounting it on "
				 "/sys/kernel/tracing failed: %s", strerror(errno));
			return -1;
		}
		mounted_tracefs = true;
	}
	snprintf(path, sizeof(path), "%s/events/syscalls/sys_exit_accept4", root);
	if (!is_dir(path)) {
		snprintf(why, len, "no syscall tracepoints in %s/events/syscalls "
			 "(kernel built without CONFIG_FTRACE_SYSCALLS)", root);
		return -1;
	}
	return 0;
}

void st_backend_cleanup(void)
{
	if (mounted_tracefs && umount2("/sys/kernel/tracing", MNT_DETACH) == 0)
		mounted_tracefs = false;
}

/*
 * Does an fentry program load and attach on tcp_connect? Asked with raw
 * syscalls: libbpf would parse the kernel's BTF to find the function (11-15 ms
 * here, paid again when the backend loads); a scan for one name costs ~2.4 ms.
 */
static int probe_fentry(char *why, size_t len)
{
	const struct bpf_insn ret0[] = {
		{ .code = 0xb7, .dst_reg = 0 },	/* r0 = 0 */
		{ .code = 0x95 },		/* exit */
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	int fd = open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);
	int id, prog, link;

	if (fd < 0) {
		failure(why, len, "open /sys/kernel/btf/vmlinux", errno);
		return -1;
	}
	id = st_btf_find_func(fd, "tcp_connect");
	close(fd);
	if (id < 0) {
		snprintf(why, len, "no function tcp_connect in the kernel's BTF");
		return -1;
	}
	opts.attach_btf_id = (__u32)id;
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "probe_fentry", "GPL", ret0, 2, &opts);
	if (prog < 0) {
		failure(why, len, "load", prog);
		return -1;
	}
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0) {
		failure(why, len, "attach", link);
		close(prog);
		return -1;
	}
	close(link);
	close(prog);
	return 0;
}

int st_backend_probe(int backend, char *why, size_t len)
{
	struct probe_bpf *p;
	struct bpf_program *want;
	struct bpf_link *link;
	int err;

	if (backend == ST_BACKEND_FENTRY)
		return probe_fentry(why, len);
	p = probe_bpf__open();
	if (!p) {
		failure(why, len, "open", errno);
		return -1;
	}
	want = backend == ST_BACKEND_KPROBE ? p->progs.probe_kprobe : p->progs.probe_tp_btf;
	bpf_program__set_autoload(p->progs.probe_tp_btf, want == p->progs.probe_tp_btf);
	err = probe_bpf__load(p);
	if (err) {
		failure(why, len, "load", err);
		goto out;
	}
	link = bpf_program__attach(want);
	if (!link) {
		err = -errno;
		failure(why, len, "attach", err);
		goto out;
	}
	bpf_link__destroy(link);
	if (backend == ST_BACKEND_TRACEPOINT)
		err = ensure_tracefs(why, len);
out:
	probe_bpf__destroy(p);
	return err ? -1 : 0;
}

/* the second attachment of the accept exit, which the skeleton does not hold */
static struct bpf_link *accept_link;

static const char *const prog_prefix[ST_BACKEND_MAX] = {
	[ST_BACKEND_FENTRY] = "fe_",
	[ST_BACKEND_KPROBE] = "kp_",
	[ST_BACKEND_TRACEPOINT] = "tp_",
};

static void configure(struct socktrace_bpf *s, int backend, const struct st_opts *o)
{
	struct bpf_program *prog;
	__u64 salt;

	bpf_object__for_each_program(prog, s->obj) {
		const char *name = bpf_program__name(prog);

		/* fk_: shared by the fentry and kprobe backends */
		bpf_program__set_autoload(prog, !strncmp(name, prog_prefix[backend], 3) ||
					  (!strncmp(name, "fk_", 3) && backend != ST_BACKEND_TRACEPOINT));
		/* reached by tail call only (STATE_PROGRAMS in bpf/common.bpf.h) */
		if (strstr(name, "_set_state_work"))
			bpf_program__set_autoattach(prog, false);
	}
	/* maps only another backend uses: keep them tiny */
	if (backend != ST_BACKEND_KPROBE)
		bpf_map__set_max_entries(s->maps.udp_calls, 1);
	bpf_map__set_max_entries(s->maps.events, (__u32)o->buffer_size);
	s->rodata->test_lose_close_port = (__u16)o->test_lose_close_port;
	s->rodata->wakeup_bytes = o->buffer_size / 8;

	memcpy((void *)s->rodata->filter_pids, o->pids, sizeof(o->pids));
	s->rodata->n_filter_pids = (__u32)o->n_pids;
	memcpy((void *)s->rodata->filter_ports, o->ports, sizeof(o->ports));
	s->rodata->n_filter_ports = (__u32)o->n_ports;
	s->rodata->event_mask = o->event_mask;
	/* close needs the opens' owners, fail the connect's */
	s->rodata->work_mask = o->event_mask |
		(o->event_mask & ST_EV_BIT(ST_EV_CLOSE) ?
			 ST_EV_BIT(ST_EV_CONNECT) | ST_EV_BIT(ST_EV_ACCEPT) : 0) |
		(o->event_mask & ST_EV_BIT(ST_EV_FAIL) ? ST_EV_BIT(ST_EV_CONNECT) : 0);
	s->rodata->want_tcp = o->tcp;
	s->rodata->want_udp = o->udp;
	s->rodata->want_v4 = o->v4;
	s->rodata->want_v6 = o->v6;
	s->rodata->filter_uid = o->uid < 0 ? ~0u : (__u32)o->uid;
	memcpy((void *)s->rodata->filter_comm, o->comm, ST_COMM_LEN);
	/* the summary and top views read the kernel's counters: no stream needed */
	s->rodata->stream = o->stream;
	if (getentropy(&salt, sizeof(salt)))
		salt = (__u64)getpid() * 0x9e3779b97f4a7c15ULL;
	s->rodata->cookie_salt = salt;
}

/*
 * Two slow steps of a load do not depend on each other: creating the
 * preallocated maps (~10 ms here, most of it four 65536-entry hashes) and
 * libbpf reading and parsing the kernel's BTF (~14 ms). The maps are made on a
 * second thread while this one parses; libbpf is then handed their descriptors
 * and creates only what is left. If the thread can't be started or a map can't
 * be made this way, libbpf makes it as it always does (and reports the error).
 */
#define MAX_PREMADE 16

struct premade_map {
	struct bpf_map *map;
	enum bpf_map_type type;
	__u32 key_size, value_size, max_entries, flags;
	char name[BPF_OBJ_NAME_LEN];
	int fd;
};

/* the members the tracepoint backend's accept walks (bpf/tp_sys.bpf.c) */
enum { M_TASK_FILES, M_FILES_FDT, M_FDT_FD, M_FDT_MAX_FDS, M_FILE_PRIVATE_DATA,
       M_SOCKET_FILE, M_SOCKET_SK, N_MEMBERS };

static const struct st_btf_member fd_walk[N_MEMBERS] = {
	[M_TASK_FILES] = { "task_struct", "files", -1 },
	[M_FILES_FDT] = { "files_struct", "fdt", -1 },
	[M_FDT_FD] = { "fdtable", "fd", -1 },
	[M_FDT_MAX_FDS] = { "fdtable", "max_fds", -1 },
	[M_FILE_PRIVATE_DATA] = { "file", "private_data", -1 },
	[M_SOCKET_FILE] = { "socket", "file", -1 },
	[M_SOCKET_SK] = { "socket", "sk", -1 },
};

struct premaker {
	struct premade_map maps[MAX_PREMADE];
	int n;
	bool running;
	pthread_t thread;
	/* the tracepoint backend's member offsets, found on the same thread */
	bool want_members;
	struct st_btf_member members[N_MEMBERS];
	int members_err;	/* 0, or an errno; -1: missing in the BTF */
	/* the kernel has bpf_rdonly_cast(): tp_accept_exit_btf can load */
	bool has_cast;
};

static void find_members(struct premaker *pm)
{
	int cast_id;

	memcpy(pm->members, fd_walk, sizeof(fd_walk));
	errno = 0;
	if (st_btf_file_member_offsets("/sys/kernel/btf/vmlinux", pm->members, N_MEMBERS,
				       "bpf_rdonly_cast", &cast_id))
		pm->members_err = errno ? errno : -1;
	else
		pm->members_err = 0;
	pm->has_cast = cast_id > 0;
}

static void *premake_maps(void *arg)
{
	struct premaker *pm = arg;

	for (int i = 0; i < pm->n; i++) {
		struct premade_map *m = &pm->maps[i];
		LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = m->flags);

		m->fd = bpf_map_create(m->type, m->name, m->key_size, m->value_size,
				       m->max_entries, &opts);
	}
	if (pm->want_members)
		find_members(pm);
	return NULL;
}

/* everything the thread needs is copied here: it never touches the object */
static void premake_start(struct premaker *pm, struct bpf_object *obj, bool want_members)
{
	pthread_attr_t attr;
	struct bpf_map *map;

	pm->n = 0;
	pm->running = false;
	pm->want_members = want_members;
	pm->members_err = 0;
	bpf_object__for_each_map(map, obj) {
		struct premade_map *m;

		/* .rodata and .bss: libbpf fills and maps them itself */
		if (bpf_map__is_internal(map) || pm->n == MAX_PREMADE)
			continue;
		m = &pm->maps[pm->n++];
		m->map = map;
		m->type = bpf_map__type(map);
		m->key_size = bpf_map__key_size(map);
		m->value_size = bpf_map__value_size(map);
		m->max_entries = bpf_map__max_entries(map);
		m->flags = bpf_map__map_flags(map);
		snprintf(m->name, sizeof(m->name), "%s", bpf_map__name(map));
		m->fd = -1;
	}
	/* a small stack: with mlockall(MCL_FUTURE) all of it becomes resident */
	if (pthread_attr_init(&attr))
		return;
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pm->running = pthread_create(&pm->thread, &attr, premake_maps, pm) == 0;
	pthread_attr_destroy(&attr);
}

static void premake_finish(struct premaker *pm)
{
	if (!pm->running) {
		/* no thread: the maps are left to libbpf, the members found here */
		if (pm->want_members)
			find_members(pm);
		return;
	}
	pthread_join(pm->thread, NULL);
	pm->running = false;
	for (int i = 0; i < pm->n; i++) {
		struct premade_map *m = &pm->maps[i];

		if (m->fd < 0)
			continue;
		/* libbpf keeps a duplicate; on failure it creates the map itself */
		bpf_map__reuse_fd(m->map, m->fd);
		close(m->fd);
	}
}

/*
 * Make libbpf read the kernel's BTF now, before bpf_object__load(): setting a
 * program's attach target to the one its section names does it, and the load
 * then uses the parsed BTF. Errors are left for the load to report.
 */
static void parse_kernel_btf(struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);
		const char *slash = strchr(sec, '/');

		if (!bpf_program__autoload(prog) || !slash)
			continue;
		if (!strncmp(sec, "tp_btf/", 7) || !strncmp(sec, "fentry/", 7) ||
		    !strncmp(sec, "fexit/", 6)) {
			bpf_program__set_attach_target(prog, 0, slash + 1);
			return;
		}
	}
}

/* the offsets found, into the programs' read-only data; or why not */
static int set_members(struct socktrace_bpf *s, const struct premaker *pm, char *why, size_t len)
{
	const struct st_btf_member *m = pm->members;

	if (pm->members_err > 0) {
		failure(why, len, "read /sys/kernel/btf/vmlinux", pm->members_err);
		return -1;
	}
	for (int i = 0; i < N_MEMBERS; i++)
		if (m[i].offset < 0 || m[i].offset > 65535) {
			snprintf(why, len, "the kernel's BTF has no usable member %s in struct %s",
				 m[i].member, m[i].type);
			return -1;
		}
	s->rodata->off_task_files = (__u32)m[M_TASK_FILES].offset;
	s->rodata->off_files_fdt = (__u32)m[M_FILES_FDT].offset;
	s->rodata->off_fdt_fd = (__u32)m[M_FDT_FD].offset;
	s->rodata->off_fdt_max_fds = (__u32)m[M_FDT_MAX_FDS].offset;
	s->rodata->off_file_private_data = (__u32)m[M_FILE_PRIVATE_DATA].offset;
	s->rodata->off_socket_file = (__u32)m[M_SOCKET_FILE].offset;
	s->rodata->off_socket_sk = (__u32)m[M_SOCKET_SK].offset;
	return 0;
}

int st_backend_load(int backend, const struct st_opts *o, struct socktrace_bpf **skel,
		    char *why, size_t len)
{
	struct bpf_program *accept_prog = NULL;
	struct socktrace_bpf *s;
	struct rlimit lim;
	int err;

	if (backend == ST_BACKEND_TRACEPOINT && ensure_tracefs(why, len))
		return -1;
	/*
	 * libbpf reads the kernel's BTF (5.5 MB here) into fresh memory: made
	 * present in bulk at mmap() time it costs less than page by page
	 * (~2 ms). Only with no lock limit, where locking can't make a mmap fail.
	 */
	if (getrlimit(RLIMIT_MEMLOCK, &lim) == 0 && lim.rlim_cur == RLIM_INFINITY)
		mlockall(MCL_FUTURE);
	s = socktrace_bpf__open();
	if (!s) {
		failure(why, len, "open", errno);
		munlockall();
		return -1;
	}
	configure(s, backend, o);
	{
		struct premaker pm;

		premake_start(&pm, s->obj, backend == ST_BACKEND_TRACEPOINT);
		parse_kernel_btf(s->obj);
		premake_finish(&pm);
		if (pm.want_members && set_members(s, &pm, why, len)) {
			munlockall();
			goto fail;
		}
		if (backend == ST_BACKEND_TRACEPOINT) {
			/* one accept exit of the two: see bpf/tp_accept.bpf.c */
			bpf_program__set_autoload(s->progs.tp_accept_exit, !pm.has_cast);
			bpf_program__set_autoload(s->progs.tp_accept_exit_btf, pm.has_cast);
			accept_prog = pm.has_cast ? s->progs.tp_accept_exit_btf :
						    s->progs.tp_accept_exit;
		}
	}
	err = socktrace_bpf__load(s);
	munlockall();
	if (err) {
		failure(why, len, "load", err);
		goto fail;
	}
	/* the state-change worker, before anything is attached */
	{
		struct bpf_program *work = backend == ST_BACKEND_TRACEPOINT ?
						   s->progs.tp_set_state_work : s->progs.fk_set_state_work;
		int fd = bpf_program__fd(work);
		__u32 slot = 0;	/* STATE_WORK in bpf/common.bpf.h; slot 1 stays empty */

		if (bpf_map_update_elem(bpf_map__fd(s->maps.state_work), &slot, &fd, BPF_ANY)) {
			err = -errno;
			failure(why, len, "load (state worker)", err);
			goto fail;
		}
	}
	err = socktrace_bpf__attach(s);
	if (err) {
		failure(why, len, "attach", err);
		goto fail;
	}
	if (backend == ST_BACKEND_TRACEPOINT) {
		/* the skeleton attached it to sys_exit_accept4; plain accept() too */
		accept_link = bpf_program__attach_tracepoint(accept_prog, "syscalls",
							     "sys_exit_accept");
		if (!accept_link) {
			err = -errno;
			failure(why, len, "attach", err);
			goto fail;
		}
	}
	*skel = s;
	return 0;
fail:
	socktrace_bpf__destroy(s);
	return -1;
}

unsigned long long st_backend_missed(struct socktrace_bpf *skel)
{
	unsigned long long missed = 0;
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		const char *name = bpf_program__name(prog);
		int fd = bpf_program__fd(prog);

		/* a state change one of the pair skips, the other handles */
		if (fd < 0 || strstr(name, "_set_state"))
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
			missed += info.recursion_misses;
	}
	return missed;
}

void st_backend_unload(struct socktrace_bpf *skel)
{
	bpf_link__destroy(accept_link);
	accept_link = NULL;
	socktrace_bpf__destroy(skel);
}

int st_backend_start(const struct st_opts *o, struct socktrace_bpf **skel, int *chosen,
		     char *why, size_t len)
{
	char reasons[3][160];
	int b;

	if (o->backend != ST_BACKEND_AUTO) {
		*chosen = o->backend;
		if (st_backend_load(o->backend, o, skel, reasons[0], sizeof(reasons[0]))) {
			snprintf(why, len, "the %s backend does not work here: %s",
				 st_backend_name(o->backend), reasons[0]);
			return -1;
		}
		return 0;
	}
	for (b = 0; b < ST_BACKEND_MAX; b++) {
		/* the last one left is loaded at once: its own load is the probe */
		if ((b == ST_BACKEND_MAX - 1 || st_backend_probe(b, reasons[b], sizeof(reasons[b])) == 0) &&
		    st_backend_load(b, o, skel, reasons[b], sizeof(reasons[b])) == 0) {
			*chosen = b;
			return 0;
		}
		if (o->verbose)
			fprintf(stderr, "socktrace: backend %s: %s\n", st_backend_name(b),
				reasons[b]);
	}
	snprintf(why, len, "no backend works here: fentry: %s; kprobe: %s; tracepoint: %s",
		 reasons[0], reasons[1], reasons[2]);
	return -1;
}

int st_backend_report(FILE *out, const struct st_opts *o)
{
	const char *what[ST_BACKEND_MAX] = {
		[ST_BACKEND_FENTRY] = "fentry/fexit on tcp_connect, inet_csk_accept, udp(v6)_sendmsg",
		[ST_BACKEND_KPROBE] = "kprobe/kretprobe on the same functions",
		[ST_BACKEND_TRACEPOINT] = "sock:inet_sock_set_state, net:net_dev_queue, accept exits",
	};
	struct utsname u;
	int chosen = -1;

	uname(&u);
	fprintf(out, "kernel: %s %s\n", u.release, u.machine);
	fprintf(out, "btf: %s\n", access("/sys/kernel/btf/vmlinux", R_OK) == 0 ?
		"/sys/kernel/btf/vmlinux" : "missing");
	for (int b = 0; b < ST_BACKEND_MAX; b++) {
		char why[200] = "";
		struct socktrace_bpf *s = NULL;
		const char *state;

		if (st_backend_probe(b, why, sizeof(why)))
			state = "no (probe)";
		else if (st_backend_load(b, o, &s, why, sizeof(why)))
			state = "no (programs)";
		else
			state = "yes";
		st_backend_unload(s);
		if (s && chosen < 0)
			chosen = b;
		fprintf(out, "backend %-10s %-13s %s%s%s\n", st_backend_name(b), state, what[b],
			why[0] ? ": " : "", why);
	}
	fprintf(out, "chosen: %s\n", chosen < 0 ? "none" : st_backend_name(chosen));
	return chosen < 0 ? -1 : 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Can a backend work here? Found by loading and attaching a tiny program
 * for real (bpf/probe.bpf.c; fentry with raw syscalls), never guessed from a
 * kernel version; and the tracefs the tracepoint backend needs.
 */
#define _GNU_SOURCE	/* unshare() */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "backend_int.h"
#include "probe.skel.h"

void st_failure(char *why, size_t len, const char *step, int err)
{
	snprintf(why, len, "%s: %s", step, strerror(err < 0 ? -err : err));
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * A mount of socktrace's own: in a mount namespace of its own, made private
 * (recursively) first so that nothing propagates back to the host's. The
 * host's mounts are never touched, so two socktraces can't disturb each
 * other, and the mount goes with the process (nothing to unmount). A
 * propagation change ignores the source and the type; they are named all
 * the same ("none"), because valgrind (tests/memcheck.sh) takes a NULL
 * type for a bad pointer.
 */
static int mount_private(const char *type, const char *where, char *why, size_t len)
{
	if (unshare(CLONE_NEWNS) || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL)) {
		snprintf(why, len, "%s is not mounted and socktrace can't make a mount namespace "
			 "of its own to mount it in: %s", type, strerror(errno));
		return -1;
	}
	if (mount(type, where, type, 0, NULL)) {
		snprintf(why, len, "%s is not mounted and mounting it on %s failed: %s", type,
			 where, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Syscall tracepoints are found through tracefs. libbpf 1.x looks in
 * /sys/kernel/debug/tracing when that exists, else in /sys/kernel/tracing;
 * tracefs is often not mounted on a fresh boot, so it is mounted there if
 * needed, in socktrace's own mount namespace.
 */
int st_ensure_tracefs(char *why, size_t len)
{
	const char *root = access("/sys/kernel/debug/tracing", F_OK) == 0 ?
				   "/sys/kernel/debug/tracing" : "/sys/kernel/tracing";
	char path[128];

	snprintf(path, sizeof(path), "%s/events", root);
	if (!is_dir(path) && mount_private("tracefs", "/sys/kernel/tracing", why, len))
		return -1;
	snprintf(path, sizeof(path), "%s/events/syscalls/sys_exit_accept4", root);
	if (!is_dir(path)) {
		snprintf(why, len, "no syscall tracepoints in %s/events/syscalls "
			 "(kernel built without CONFIG_FTRACE_SYSCALLS)", root);
		return -1;
	}
	return 0;
}

/* the tracepoint sock:NAME, asked of tracefs (which the backend has made sure of) */
static bool has_sock_tracepoint(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/tracing/events/sock/%s", name);
	if (is_dir(path))
		return true;
	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/sock/%s", name);
	return is_dir(path);
}

/*
 * The tracepoint backend's received UDP (bpf/tp_udp_recv.bpf.c):
 * sock:sock_recv_length, 6.3 (commit 6e6eda44b939, "sock: add tracepoint
 * for send recv length"), and sock:sk_data_ready, which came soon after.
 */
bool st_kernel_has_recv_length(void)
{
	return has_sock_tracepoint("sock_recv_length") && has_sock_tracepoint("sk_data_ready");
}

bool st_udp_recv_traced(int backend, const struct st_opts *o)
{
	bool followed = o->udp && (o->conns || o->metrics || !o->stream ||
				   (o->event_mask & (1u << ST_EV_UDP)));

	return followed && !o->snapshot &&
	       (backend != ST_BACKEND_TRACEPOINT || st_kernel_has_recv_length());
}

/*
 * The BTF id of the kernel function func, one of the few the probes ask
 * for (a scan for names only: libbpf would parse the whole of the kernel's
 * BTF, and again when the backend loads). Where the file can be mapped, the
 * first question scans it once for all of them; before 6.16, where it is
 * read, each name is a pass of its own and only the asked one is read. -1
 * if func is not there; -2 with errno if the BTF can't be opened.
 */
static int kernel_func_id(const char *func)
{
	static const char *const names[] = { "tcp_connect", "bpf_iter_bpf_map_elem",
					     "nf_nat_setup_info" };
	static int ids[3];
	static bool known[3];
	int fd, at = -1, all[3];

	for (int i = 0; i < 3; i++)
		if (!strcmp(func, names[i]))
			at = i;
	if (at < 0)
		return -1;
	if (known[at])
		return ids[at];
	fd = open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -2;
	if (st_btf_find_funcs(fd, names, all, 3) == 1) {
		ids[at] = st_btf_find_func_read(fd, func);
		known[at] = true;
	} else {
		for (int i = 0; i < 3; i++) {
			ids[i] = all[i];
			known[i] = true;
		}
	}
	close(fd);
	return ids[at];
}

/*
 * A tracing program that does nothing, loaded with raw syscalls for the
 * kernel function named func (kernel_func_id()): its fd, or -1 with why.
 */
static int load_ret0(const char *func, enum bpf_attach_type type, char *why, size_t len)
{
	const struct bpf_insn ret0[] = {
		{ .code = 0xb7, .dst_reg = 0 },	/* r0 = 0 */
		{ .code = 0x95 },		/* exit */
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = type);
	int id = kernel_func_id(func), prog;

	if (id == -2) {
		st_failure(why, len, "open /sys/kernel/btf/vmlinux", errno);
		return -1;
	}
	if (id < 0) {
		snprintf(why, len, "no function %s in the kernel's BTF", func);
		return -1;
	}
	opts.attach_btf_id = (__u32)id;
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "probe_ret0", "GPL", ret0, 2, &opts);
	if (prog < 0) {
		st_failure(why, len, "load", prog);
		return -1;
	}
	return prog;
}

/* Does an fentry program load and attach on tcp_connect? */
static int probe_fentry(char *why, size_t len)
{
	int prog = load_ret0("tcp_connect", BPF_TRACE_FENTRY, why, len);
	int link;

	if (prog < 0)
		return -1;
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0) {
		st_failure(why, len, "attach", link);
		close(prog);
		return -1;
	}
	close(link);
	close(prog);
	return 0;
}

/*
 * Can the fentry backend follow a DNAT's bindings (bpf/nat_pending.bpf.h)?
 * Where nf_nat_setup_info() has BTF: nf_nat loaded as a module with BTF of
 * its own (5.11+), or built in. Asked of /sys first: no scan of the kernel's
 * BTF where nf_nat is not there at all.
 */
bool st_kernel_has_nat_btf(void)
{
	if (is_dir("/sys/kernel/btf") && access("/sys/kernel/btf/nf_nat", F_OK) == 0)
		return true;
	if (!is_dir("/sys/module/nf_nat") || access("/sys/module/nf_nat/initstate", F_OK) == 0)
		return false;	/* not there, or a module without BTF */
	return kernel_func_id("nf_nat_setup_info") > 0;
}

/*
 * Can the kprobe backend follow a DNAT's bindings? Where nf_nat is loaded
 * or built in: its nf_nat_setup_info() can be probed by name.
 */
bool st_kernel_has_nat(void)
{
	return is_dir("/sys/module/nf_nat");
}

/*
 * Does a map element iterator load (bpf/iter.bpf.c, forget_*: the
 * snapshot's maps emptied from inside the kernel)? Linux 5.9 has them, but
 * a kernel may refuse them at load all the same (this project's 6.18 build
 * host does, EPERM, as it refuses fentry), and one refused program fails
 * the whole skeleton: so asked first.
 */
bool st_kernel_iterates_map_elems(void)
{
	char why[128];
	int prog = load_ret0("bpf_iter_bpf_map_elem", BPF_TRACE_ITER, why, sizeof(why));

	if (prog < 0)
		return false;
	close(prog);
	return true;
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
		st_failure(why, len, "open", errno);
		return -1;
	}
	want = backend == ST_BACKEND_KPROBE ? p->progs.probe_kprobe : p->progs.probe_tp_btf;
	bpf_program__set_autoload(p->progs.probe_tp_btf, want == p->progs.probe_tp_btf);
	err = probe_bpf__load(p);
	if (err) {
		st_failure(why, len, "load", err);
		goto out;
	}
	link = bpf_program__attach(want);
	if (!link) {
		err = -errno;
		st_failure(why, len, "attach", err);
		goto out;
	}
	bpf_link__destroy(link);
	if (backend == ST_BACKEND_TRACEPOINT)
		err = st_ensure_tracefs(why, len);
out:
	probe_bpf__destroy(p);
	return err ? -1 : 0;
}

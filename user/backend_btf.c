// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the kernel's BTF decides for a load, found beside libbpf's own parse
 * of it: the member offsets of the tracepoint backend's accept walk, and
 * whether bpf_rdonly_cast() is there (bpf/quirks.bpf.h). Two slow steps of a
 * load do not depend on each other: creating the preallocated maps (most of
 * it four 65536-entry hashes) and libbpf reading and parsing the kernel's
 * BTF. The maps, and this scan, are made on a second thread while the
 * caller's parses; once the parse is done the caller makes maps too, taking
 * the next from the same list (dearest first), so that both CPUs of a small
 * machine work until all are made. libbpf is then handed the maps'
 * descriptors and creates only what is left. If the thread can't be started
 * or a map can't be made this way, libbpf makes it as it always does (and
 * reports the error).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "backend_int.h"
#include "socktrace.skel.h"

static const struct st_btf_member fd_walk[N_MEMBERS] = {
	[M_TASK_FILES] = { "task_struct", "files", -1 },
	[M_FILES_FDT] = { "files_struct", "fdt", -1 },
	[M_FDT_FD] = { "fdtable", "fd", -1 },
	[M_FDT_MAX_FDS] = { "fdtable", "max_fds", -1 },
	[M_FILE_PRIVATE_DATA] = { "file", "private_data", -1 },
	[M_SOCKET_FILE] = { "socket", "file", -1 },
	[M_SOCKET_SK] = { "socket", "sk", -1 },
	[M_REQ_OPCODE] = { "io_kiocb", "opcode", -1 },
	[M_REQ_CTX] = { "io_kiocb", "ctx", -1 },
	[M_REQ_CQE] = { "io_kiocb", "cqe", -1 },
	[M_REQ_USER_DATA] = { "io_kiocb", "user_data", -1 },
	[M_SQE_REC_REQ] = { "trace_event_raw_io_uring_submit_sqe", "req", -1 },
	[M_REQ_FLAGS] = { "io_kiocb", "flags", -1 },
	[M_CONN_ADDR] = { "io_connect", "addr", -1 },
	[M_CONN_ADDR_LEN] = { "io_connect", "addr_len", -1 },
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

/* what making a map costs, roughly: its preallocated elements, or its buckets */
static unsigned long long map_cost(const struct premade_map *m)
{
	unsigned long long n = m->max_entries;

	switch (m->type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		if (m->flags & BPF_F_NO_PREALLOC)
			return n * 16;		/* a bucket each */
		return n * (m->key_size + m->value_size + 64);
	case BPF_MAP_TYPE_RINGBUF:
		return 0;			/* its pages, mapped, not written */
	default:
		return n * m->value_size;
	}
}

static int dearest_first(const void *a, const void *b)
{
	unsigned long long x = map_cost(a), y = map_cost(b);

	return x < y ? 1 : x > y ? -1 : 0;
}

/* make the maps no one has taken yet; the thread and the caller both run this */
static void make_maps(struct premaker *pm)
{
	int i;

	while ((i = __atomic_fetch_add(&pm->next, 1, __ATOMIC_RELAXED)) < pm->n) {
		struct premade_map *m = &pm->maps[i];
		LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = m->flags);

		m->fd = bpf_map_create(m->type, m->name, m->key_size, m->value_size,
				       m->max_entries, &opts);
	}
}

static void *premake_maps(void *arg)
{
	struct premaker *pm = arg;

	if (pm->want_members)
		find_members(pm);
	make_maps(pm);
	return NULL;
}

/* everything the thread needs is copied here: it never touches the object */
void st_premake_start(struct premaker *pm, struct bpf_object *obj, bool want_members)
{
	pthread_attr_t attr;
	struct bpf_map *map;

	pm->n = 0;
	pm->next = 0;
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
	qsort(pm->maps, (size_t)pm->n, sizeof(pm->maps[0]), dearest_first);
	/* a small stack: under mlockall(MCL_FUTURE) (user/load_heap.c) all of it is resident */
	if (pthread_attr_init(&attr))
		return;
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pm->running = pthread_create(&pm->thread, &attr, premake_maps, pm) == 0;
	pthread_attr_destroy(&attr);
}

void st_premake_finish(struct premaker *pm)
{
	if (!pm->running) {
		/* no thread: the maps are left to libbpf, the members found here */
		if (pm->want_members)
			find_members(pm);
		return;
	}
	make_maps(pm);		/* what the thread has not begun */
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
 * Setting a program's attach target to the one its section names makes
 * libbpf read the kernel's BTF at once, and the load then uses the parsed
 * BTF. Errors are left for the load to report.
 */
void st_parse_kernel_btf(struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);
		const char *slash = strchr(sec, '/');

		if (!bpf_program__autoload(prog) || !slash)
			continue;
		if (!strncmp(sec, "tp_btf/", 7) || !strncmp(sec, "fentry/", 7) ||
		    !strncmp(sec, "fexit/", 6) || !strncmp(sec, "iter/", 5)) {
			bpf_program__set_attach_target(prog, 0, slash + 1);
			return;
		}
	}
}

int st_set_members(struct socktrace_bpf *s, const struct premaker *pm, char *why, size_t len)
{
	const struct st_btf_member *m = pm->members;

	if (pm->members_err > 0) {
		st_failure(why, len, "read /sys/kernel/btf/vmlinux", pm->members_err);
		return -1;
	}
	for (int i = 0; i < N_FD_MEMBERS; i++)
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
	s->rodata->off_req_opcode = (__u32)m[M_REQ_OPCODE].offset;
	s->rodata->off_req_ctx = (__u32)m[M_REQ_CTX].offset;
	s->rodata->off_req_cqe = (__u32)m[M_REQ_CQE].offset;
	return 0;
}

static bool member_usable(const struct st_btf_member *m)
{
	return m->offset >= 0 && m->offset <= 65535;
}

enum st_iou_layout st_iouring_layout(const struct premaker *pm)
{
	const struct st_btf_member *m = pm->members;

	if (member_usable(&m[M_REQ_OPCODE]) && member_usable(&m[M_REQ_CTX]) &&
	    member_usable(&m[M_REQ_CQE]))
		return ST_IOU_CQE;	/* 5.19 on: user_data in req->cqe */
	if (member_usable(&m[M_REQ_USER_DATA]))
		return member_usable(&m[M_SQE_REC_REQ]) ? ST_IOU_SQE_REQ : ST_IOU_SQE;
	return ST_IOU_NONE;		/* no io_uring in this kernel */
}

bool st_iouring_connects(struct socktrace_bpf *s, const struct premaker *pm,
			 enum st_iou_layout layout)
{
	const struct st_btf_member *m = pm->members;

	if (layout != ST_IOU_CQE || !member_usable(&m[M_REQ_FLAGS]) ||
	    !member_usable(&m[M_CONN_ADDR]) || !member_usable(&m[M_CONN_ADDR_LEN]))
		return false;
	s->rodata->off_req_flags = (__u32)m[M_REQ_FLAGS].offset;
	s->rodata->off_conn_addr = (__u32)m[M_CONN_ADDR].offset;
	s->rodata->off_conn_addr_len = (__u32)m[M_CONN_ADDR_LEN].offset;
	return true;
}

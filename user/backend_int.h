/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the backend files share among themselves (not the rest of user/):
 * backend_probe.c (is a backend usable here), backend_btf.c (what the
 * kernel's BTF decides, found beside libbpf's own parse), backend_config.c
 * (each backend's programs, and what loads), backend_load.c (loading and
 * attaching them), backend.c (the choice).
 */
#ifndef ST_BACKEND_INT_H
#define ST_BACKEND_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>
#include <bpf/libbpf.h>
#include "btfscan.h"

struct socktrace_bpf;

/* "load: Operation not permitted" into why */
void st_failure(char *why, size_t len, const char *step, int err);

/* tracefs with the syscall tracepoints is there (mounted if need be); or -1 with why */
int st_ensure_tracefs(char *why, size_t len);

/* the members the tracepoint backend's accept walks (bpf/tp_accept.bpf.h) */
enum { M_TASK_FILES, M_FILES_FDT, M_FDT_FD, M_FDT_MAX_FDS, M_FILE_PRIVATE_DATA,
       M_SOCKET_FILE, M_SOCKET_SK, N_FD_MEMBERS,
       /* optional: what tells the io_uring accepts' layout (bpf/tp_iouring.bpf.c) */
       M_REQ_OPCODE = N_FD_MEMBERS, M_REQ_CTX, M_REQ_CQE, M_REQ_USER_DATA, M_SQE_REC_REQ,
       /* optional: what the io_uring connects' failures read (6.0 on) */
       M_REQ_FLAGS, M_CONN_ADDR, M_CONN_ADDR_LEN,
       N_MEMBERS };

#define MAX_PREMADE 40

struct premade_map {
	struct bpf_map *map;
	enum bpf_map_type type;
	__u32 key_size, value_size, max_entries, flags;
	char name[BPF_OBJ_NAME_LEN];
	int fd;
};

/* the maps made, and the BTF read, on a second thread while libbpf parses */
struct premaker {
	struct premade_map maps[MAX_PREMADE];
	int n;
	int next;	/* the next map to make, taken by the thread and the caller */
	bool running;
	pthread_t thread;
	/* the tracepoint backend's member offsets, found on the same thread */
	bool want_members;
	struct st_btf_member members[N_MEMBERS];
	int members_err;	/* 0, or an errno; -1: missing in the BTF */
	/* the kernel has bpf_rdonly_cast(): tp_accept_exit_btf can load */
	bool has_cast;
};

/* start the thread on obj's maps (and, if want_members, the BTF scan) */
void st_premake_start(struct premaker *pm, struct bpf_object *obj, bool want_members);
/* make maps beside it, wait for it; hand libbpf the maps made */
void st_premake_finish(struct premaker *pm);
/* make libbpf read the kernel's BTF now, before bpf_object__load() */
void st_parse_kernel_btf(struct bpf_object *obj);
/* the offsets found, into the programs' read-only data; or -1 with why */
int st_set_members(struct socktrace_bpf *s, const struct premaker *pm, char *why, size_t len);
/* the layout of the kernel's io_uring tracepoints (bpf/tp_iouring.bpf.c), told by struct io_kiocb */
enum st_iou_layout { ST_IOU_NONE, ST_IOU_CQE, ST_IOU_SQE_REQ, ST_IOU_SQE };
enum st_iou_layout st_iouring_layout(const struct premaker *pm);
/*
 * Whether the kernel's layout lets the io_uring connects' programs read
 * their requests (bpf/tp_iouring.bpf.c: the 6.0 one), and if so their
 * offsets into s's rodata.
 */
bool st_iouring_connects(struct socktrace_bpf *s, const struct premaker *pm,
			 enum st_iou_layout layout);

#define MAX_HOOKS 12

/*
 * A backend's programs. hooks: attached by the skeleton (NULL-ended when
 * fewer). state: its three sock:inet_sock_set_state programs
 * (STATE_PROGRAMS in bpf/state_programs.bpf.h), of which work is reached by
 * tail call only: loaded, never attached.
 */
struct backend_progs {
	struct bpf_program *hooks[MAX_HOOKS];
	struct bpf_program *state_main, *state_nested, *state_work;
};

struct socktrace_bpf;
struct st_opts;
/* backend's programs in s (backend_config.c) */
struct backend_progs st_backend_progs(const struct socktrace_bpf *s, int backend);
/* what loads, the maps' sizes and the read-only data, from o */
void st_backend_configure(struct socktrace_bpf *s, int backend, const struct st_opts *o);
/* --snapshot: the iterators alone, the maps only live hooks use made tiny */
void st_backend_snapshot_only(struct socktrace_bpf *s);

#endif

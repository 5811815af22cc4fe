// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * io_uring's requests that no syscall hook sees, on raw tracepoints: no
 * kprobe. A submission tracepoint hands over each request as it is
 * submitted, io_uring:io_uring_complete each completion.
 *
 * Accepts (IORING_OP_ACCEPT, single-shot and multishot), for the tracepoint
 * backend, which never sees them pass the accept() syscall exits that
 * tp_accept_*.bpf.c hook (the other backends hook inet_csk_accept()): an
 * accept's (ring, user_data) is kept in iou_accepts; a completion of a kept
 * accept whose result is a descriptor is the accept, made as accept_exit()
 * makes the syscall's, from the new descriptor in the completing task's file
 * table (io_uring's workers share the process's). The entry goes with the
 * request's last completion (no IORING_CQE_F_MORE).
 *
 * Connects (IORING_OP_CONNECT) that fail before any SYN leaves, for every
 * backend (Linux 6.0 on), in programs of their own (below): no connect()
 * syscall exits for them (connect_fail.bpf.c). The submission keeps what
 * the process asked for in iou_connects; a completion with an error is the
 * fail, unless a SYN left meanwhile (the socket's segs_out moved: refused or
 * timed out, the state change's to report).
 *
 * The tracepoints' arguments changed over the kernels. The submission is
 * read as the kernel's BTF says (user/backend_load.c picks the program):
 *   tp_iou_submit: io_uring_submit_req(req), where struct io_kiocb has a
 *     struct io_cqe cqe (6.4 on; 6.0 to 6.3 name it io_uring_submit_sqe(req,
 *     force_nonblock), which the loader attaches it to instead);
 *   tp_iou_submit_sqe_req: io_uring_submit_sqe(ctx, req, opcode, user_data,
 *     ...), where its record has a req;
 *   tp_iou_submit_sqe: io_uring_submit_sqe(ctx, opcode, user_data, ...).
 * The completion by what attaches: a raw tracepoint program may read no
 * argument past the tracepoint's last, so tp_iou_complete_req (ctx, req,
 * user_data, res, cflags, ...: 5.17 to about 6.3) attaches only where there
 * are 5 or more; elsewhere tp_iou_complete (ctx, req, cqe: later kernels)
 * or tp_iou_complete_old (ctx, user_data, res, ...: before 5.17).
 * Measured on 5.10 (Debian's), 6.1, 6.12, 6.18 and 7.3.
 *
 * Not seen either: accepts into fixed files (IORING_FILE_INDEX_ALLOC or a
 * file index: the result is no descriptor), connects on a fixed file, and a
 * request whose user_data another request of the same ring in flight reuses
 * (that one's completion takes the entry). Plain addresses here (raw
 * tracepoints), every read a helper call.
 */
#include "read_probe.bpf.h"
#include "tp_accept.bpf.h"
#include "connect_failed.bpf.h"

/* include/uapi/linux/io_uring.h: stable ABI */
#define ST_IORING_OP_ACCEPT	13
#define ST_IORING_OP_CONNECT	16
#define ST_IORING_CQE_F_MORE	(1U << 1)
/* io_kiocb.flags: IOSQE_FIXED_FILE's bit, which the request's flags begin with */
#define ST_REQ_F_FIXED_FILE	1
/* struct io_cqe (io_kiocb.cqe): the descriptor of the request follows user_data and res */
#define ST_CQE_FD_OFF		12

/* where the members read lie, in bytes (user/backend_btf.c finds them; 6.x layout only) */
const volatile __u32 off_req_opcode __weak = 0;	/* io_kiocb.opcode (u8) */
const volatile __u32 off_req_ctx __weak = 0;		/* io_kiocb.ctx */
const volatile __u32 off_req_cqe __weak = 0;		/* io_kiocb.cqe; user_data first */
const volatile __u32 off_req_flags __weak = 0;	/* io_kiocb.flags (its low 32 bits) */
/* io_connect's members: the request's command data, at its start (its file first) */
const volatile __u32 off_conn_addr __weak = 0;	/* io_connect.addr (a user pointer) */
const volatile __u32 off_conn_addr_len __weak = 0;	/* io_connect.addr_len (int) */

/* uapi struct io_uring_cqe's head: the same on every kernel */
struct iou_cqe {
	__u64 user_data;
	__s32 res;
	__u32 flags;
};

struct iou_key {
	__u64 ring;		/* the io_ring_ctx's address */
	__u64 user_data;
};

/* accepts in flight; LRU: a ring torn down with accepts pending leaves none for good */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct iou_key);
	__type(value, __u8);
} iou_accepts SEC(".maps");

/* a connect in flight: what its failure before the SYN is reported with */
struct iou_connect {
	struct connect_call call;
	/* TCP: the socket's segments sent (tcp_sock.segs_out) at the submission */
	__u32 segs_out;
	__u32 pad;
};

/* connects in flight, until their completion; LRU as iou_accepts */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct iou_key);
	__type(value, struct iou_connect);
} iou_connects SEC(".maps");

/* a submitted accept of ring, known by user_data: kept until its last completion */
static __always_inline void accept_submitted(__u64 ring, __u64 user_data)
{
	struct iou_key k = { .ring = ring, .user_data = user_data };
	__u8 one = 1;

	if (task_wanted(ST_EV_ACCEPT, IPPROTO_TCP))
		bpf_map_update_elem(&iou_accepts, &k, &one, BPF_ANY);
}

/*
 * A submitted connect, req (prepared: its address is in io_connect), of
 * ring, known by user_data. Its descriptor is still a number in the
 * request (the file is taken as it is issued), found in the submitting
 * task's table (an SQPOLL thread shares the process's); a fixed file's
 * index is not, and such a connect goes unseen. The socket's segments sent
 * so far are kept: a SYN that left before the completion adds one.
 */
static ST_OWN_FRAME void connect_submitted(__u64 ring, __u64 user_data, const char *req)
{
	struct iou_key k = { .ring = ring, .user_data = user_data };
	struct iou_connect c = {};
	const void *uaddr = NULL;
	__u32 flags = 0;
	__s32 fd = -1, len = 0;
	struct sock *sk;

	if (!task_wanted(ST_EV_FAIL, 0))
		return;
	if (bpf_probe_read_kernel(&flags, sizeof(flags), req + off_req_flags) ||
	    (flags & ST_REQ_F_FIXED_FILE) ||
	    bpf_probe_read_kernel(&fd, sizeof(fd), req + off_req_cqe + ST_CQE_FD_OFF) ||
	    bpf_probe_read_kernel(&uaddr, sizeof(uaddr), req + off_conn_addr) ||
	    bpf_probe_read_kernel(&len, sizeof(len), req + off_conn_addr_len) || len < 0)
		return;
	sk = sk_of_fd(fd);
	if (!connect_call_of(sk, uaddr, (__u64)len, &c.call))
		return;
	if (inet_proto(sk) == IPPROTO_TCP)
		c.segs_out = RD(TCP_SK(sk), segs_out);
	bpf_map_update_elem(&iou_connects, &k, &c, BPF_ANY);
}

/*
 * The completion of ring's request user_data, if it is a kept connect: an
 * error before any SYN left (UDP: any error) is its fail; one after is the
 * state change's (refused, timed out).
 */
static __always_inline void connect_completed(__u64 ring, __u64 user_data, __s32 res)
{
	struct iou_key k = { .ring = ring, .user_data = user_data };
	struct iou_connect *c = bpf_map_lookup_elem(&iou_connects, &k), copy;
	struct sock *sk;

	if (!c)
		return;
	copy = *c;
	bpf_map_delete_elem(&iou_connects, &k);
	sk = (struct sock *)(unsigned long)copy.call.sk;
	if (res < 0 && (inet_proto(sk) != IPPROTO_TCP || RD(TCP_SK(sk), segs_out) == copy.segs_out))
		connect_failed(&copy.call, -res);
}

/* a completion of ring's request user_data: an accept's is reported */
static __always_inline int completed(__u64 ring, __u64 user_data, __s32 res, __u32 flags)
{
	struct iou_key k = { .ring = ring, .user_data = user_data };

	if (!bpf_map_lookup_elem(&iou_accepts, &k))
		return 0;
	if (!(flags & ST_IORING_CQE_F_MORE))
		bpf_map_delete_elem(&iou_accepts, &k);
	return accept_exit(res);
}

/* req's key into k if its opcode is op (the 6.0 layout's request) */
static __always_inline bool request_of(const char *req, __u8 op, struct iou_key *k)
{
	__u8 got = 0;

	bpf_probe_read_kernel(&got, sizeof(got), req + off_req_opcode);
	if (got != op)
		return false;
	bpf_probe_read_kernel(&k->user_data, sizeof(k->user_data), req + off_req_cqe);
	k->ring = (__u64)(unsigned long)ptr_at(req, off_req_ctx);
	return true;
}

SEC("raw_tp/io_uring_submit_req")
int tp_iou_submit(struct bpf_raw_tracepoint_args *ctx)
{
	struct iou_key k = {};

	if (request_of((const char *)ctx->args[0], ST_IORING_OP_ACCEPT, &k))
		accept_submitted(k.ring, k.user_data);
	return 0;
}

SEC("raw_tp/io_uring_complete")
int tp_iou_complete(struct bpf_raw_tracepoint_args *ctx)
{
	struct iou_cqe c;

	if (bpf_probe_read_kernel(&c, sizeof(c), (const void *)ctx->args[2]))
		return 0;
	return completed(ctx->args[0], c.user_data, c.res, c.flags);
}

SEC("raw_tp/io_uring_submit_sqe")
int tp_iou_submit_sqe_req(struct bpf_raw_tracepoint_args *ctx)
{
	if ((__u8)ctx->args[2] == ST_IORING_OP_ACCEPT)
		accept_submitted(ctx->args[0], ctx->args[3]);
	return 0;
}

SEC("raw_tp/io_uring_submit_sqe")
int tp_iou_submit_sqe(struct bpf_raw_tracepoint_args *ctx)
{
	if ((__u8)ctx->args[1] == ST_IORING_OP_ACCEPT)
		accept_submitted(ctx->args[0], ctx->args[2]);
	return 0;
}

SEC("raw_tp/io_uring_complete")
int tp_iou_complete_req(struct bpf_raw_tracepoint_args *ctx)
{
	return completed(ctx->args[0], ctx->args[2], (__s32)ctx->args[3], (__u32)ctx->args[4]);
}

/* no multishot on the kernels of this layout: every completion is the last */
SEC("raw_tp/io_uring_complete")
int tp_iou_complete_old(struct bpf_raw_tracepoint_args *ctx)
{
	return completed(ctx->args[0], ctx->args[1], (__s32)ctx->args[2], 0);
}

/*
 * The connects' programs, apart from the accepts': the kernel does not run
 * a program on a CPU where it is already running (that run is skipped and
 * counted), and a tracepoint's program can be preempted there (seen on
 * 7.3: a connect's longer bookkeeping held the one program, and another
 * ring's accept on the same CPU went unseen). The pair attaches where the
 * accepts' tp_iou_submit and tp_iou_complete(_req) do.
 */
SEC("raw_tp/io_uring_submit_req")
int tp_iou_submit_conn(struct bpf_raw_tracepoint_args *ctx)
{
	const char *req = (const char *)ctx->args[0];
	struct iou_key k = {};

	if (request_of(req, ST_IORING_OP_CONNECT, &k))
		connect_submitted(k.ring, k.user_data, req);
	return 0;
}

SEC("raw_tp/io_uring_complete")
int tp_iou_complete_conn(struct bpf_raw_tracepoint_args *ctx)
{
	struct iou_cqe c;

	if (!bpf_probe_read_kernel(&c, sizeof(c), (const void *)ctx->args[2]))
		connect_completed(ctx->args[0], c.user_data, c.res);
	return 0;
}

SEC("raw_tp/io_uring_complete")
int tp_iou_complete_req_conn(struct bpf_raw_tracepoint_args *ctx)
{
	/* args[4] read for nothing: the program attaches only where there are 5 (as _req's) */
	if (ctx->args[4] != ~0ULL)
		connect_completed(ctx->args[0], ctx->args[2], (__s32)ctx->args[3]);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

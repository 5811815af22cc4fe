// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend's io_uring accepts (IORING_OP_ACCEPT, single-shot
 * and multishot), on raw tracepoints: no kprobe. They never pass the
 * accept() syscall exits that tp_accept_*.bpf.c hook. io_uring:
 * io_uring_submit_req (Linux 5.19 on) hands over each request as it is
 * submitted: an accept's (ring, user_data) is kept in iou_accepts.
 * io_uring:io_uring_complete hands over each completion's CQE (the form of
 * it whose third argument is the CQE itself; the loader loads these
 * programs only where struct io_kiocb has the members read here): a
 * completion of a kept accept whose result is a descriptor is the accept,
 * made as accept_exit() makes the syscall's, from the new descriptor in the
 * completing task's file table (io_uring's workers share the process's).
 * The entry goes with the request's last completion (no IORING_CQE_F_MORE).
 *
 * Not seen: accepts into fixed files (IORING_FILE_INDEX_ALLOC or a file
 * index: the result is no descriptor), and an accept whose user_data another
 * request of the same ring in flight reuses (that one's completion takes the
 * entry). Plain addresses here (raw tracepoints), every read a helper call.
 */
#include "read_probe.bpf.h"
#include "tp_accept.bpf.h"

/* include/uapi/linux/io_uring.h: stable ABI */
#define ST_IORING_OP_ACCEPT	13
#define ST_IORING_CQE_F_MORE	(1U << 1)

/* where the members read lie, in bytes (user/backend_btf.c finds them) */
const volatile __u32 off_req_opcode __weak = 0;	/* io_kiocb.opcode (u8) */
const volatile __u32 off_req_ctx __weak = 0;		/* io_kiocb.ctx */
const volatile __u32 off_req_cqe __weak = 0;		/* io_kiocb.cqe; user_data first */

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

SEC("raw_tp/io_uring_submit_req")
int tp_iou_submit(struct bpf_raw_tracepoint_args *ctx)
{
	const char *req = (const char *)ctx->args[0];
	struct iou_key k = {};
	__u8 op = 0, one = 1;

	bpf_probe_read_kernel(&op, sizeof(op), req + off_req_opcode);
	if (op != ST_IORING_OP_ACCEPT || !task_wanted(ST_EV_ACCEPT, IPPROTO_TCP))
		return 0;
	k.ring = (__u64)(unsigned long)ptr_at(req, off_req_ctx);
	bpf_probe_read_kernel(&k.user_data, sizeof(k.user_data), req + off_req_cqe);
	bpf_map_update_elem(&iou_accepts, &k, &one, BPF_ANY);
	return 0;
}

SEC("raw_tp/io_uring_complete")
int tp_iou_complete(struct bpf_raw_tracepoint_args *ctx)
{
	struct iou_key k = { .ring = ctx->args[0] };
	struct iou_cqe c;

	if (bpf_probe_read_kernel(&c, sizeof(c), (const void *)ctx->args[2]))
		return 0;
	k.user_data = c.user_data;
	if (!bpf_map_lookup_elem(&iou_accepts, &k))
		return 0;
	if (!(c.flags & ST_IORING_CQE_F_MORE))
		bpf_map_delete_elem(&iou_accepts, &k);
	return accept_exit(c.res);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

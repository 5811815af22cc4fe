// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The snapshot of existing sockets, every backend's: three BPF iterators the
 * loader runs once, after every live hook is attached (user/source_snapshot.c):
 * task_file (who holds which socket), then tcp and udp in each network
 * namespace. Iterator programs are handed BTF-typed pointers; the socket is
 * read through plain addresses (read_probe.bpf.h), as the shared code expects.
 */
#include "read_probe.bpf.h"
#include "iter_tcp.bpf.h"
#include "iter_udp.bpf.h"

/* the pointer the iterator's context holds at p, as a plain address */
static __always_inline void *plain(void *const *p)
{
	void *v = NULL;

	bpf_probe_read_kernel(&v, sizeof(v), p);
	return v;
}

SEC("iter/task_file")
int snap_task_file(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = plain((void *const *)&ctx->task);
	struct file *file = plain((void *const *)&ctx->file);

	if (task && file)
		holder_seen(task, file, ctx->fd);
	return 0;
}

SEC("iter/tcp")
int snap_tcp(struct bpf_iter__tcp *ctx)
{
	struct sock *sk = plain((void *const *)&ctx->sk_common);

	if (sk)
		existing_tcp(ctx->meta->seq, sk);
	return 0;
}

SEC("iter/udp")
int snap_udp(struct bpf_iter__udp *ctx)
{
	struct sock *sk = plain((void *const *)&ctx->udp_sk);

	if (sk)
		existing_udp(ctx->meta->seq, sk);
	return 0;
}

/*
 * After the snapshot its two maps are emptied from inside the kernel, by a
 * read() of these iterators, not by a bpf() delete per key: such a call holds
 * its CPU's bpf_prog_active, and where it is preempted (CONFIG_PREEMPTION)
 * every kprobe program on that CPU skips its runs meanwhile. The walk runs
 * under RCU, so deleting the element it stands on is safe; an insert may
 * reuse that element's memory at once and the walk then miss the rest of
 * its bucket: user/source_snapshot.c walks again while a key is left.
 */
__u64 claims_forgotten __weak = 0;

SEC("iter/bpf_map_elem")
int forget_claims(struct bpf_iter__bpf_map_elem *ctx)
{
	struct claim_key *key = ctx->key;	/* read once: the check holds for this copy */
	struct claim_key k;

	if (!key)
		return 0;
	k = *key;
	if (!bpf_map_delete_elem(&snap_claims, &k))
		claims_forgotten++;
	return 0;
}

SEC("iter/bpf_map_elem")
int forget_holders(struct bpf_iter__bpf_map_elem *ctx)
{
	__u64 *key = ctx->key;
	__u64 k;

	if (!key)
		return 0;
	k = *key;
	bpf_map_delete_elem(&sock_holders, &k);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Cgroups named as they are born: the cgroup_mkdir tracepoint gives the new
 * cgroup and its path, which goes to cgroup_births for the loader's cache of
 * names (user/cgroup_names.c). A deploy that makes a thousand containers'
 * cgroups costs the loader a thousand stat()s here, at mkdir, and none on
 * the way out of their first events. The same on every backend; it runs
 * only when a cgroup directory is made.
 */
#include "defs.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 << 10);	/* ~490 births between two reads of the loader */
} cgroup_births SEC(".maps") __weak;

/* births cgroup_births had no room for (their first event names them instead) */
__u64 cgroup_births_lost __weak = 0;

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(cgroup_birth, struct cgroup *cgrp, const char *path)
{
	struct st_cgroup_birth *b;
	long n;

	/* cgroup v2's hierarchy is the default one, number 0; v1's are others */
	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)
		return 0;
	b = bpf_ringbuf_reserve(&cgroup_births, sizeof(*b), 0);
	if (!b) {
		__sync_fetch_and_add(&cgroup_births_lost, 1);
		return 0;
	}
	b->id = BPF_CORE_READ(cgrp, kn, id);
	b->pad = 0;
	n = bpf_probe_read_kernel_str(b->path, sizeof(b->path), path);
	/* a path that filled the buffer may have been cut: not sent */
	b->len = n > 1 && n < (long)sizeof(b->path) ? (__u32)(n - 1) : 0;
	bpf_ringbuf_submit(b, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

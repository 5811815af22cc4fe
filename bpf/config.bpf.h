/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Load-time configuration: the loader writes these into .rodata before the
 * load (user/backend_load.c), so the verifier prunes what is off; and the
 * filter checks made of them.
 */
#ifndef SOCKTRACE_CONFIG_BPF_H
#define SOCKTRACE_CONFIG_BPF_H

#include "defs.bpf.h"

const volatile __u32 filter_pids[ST_MAX_PIDS] __weak = {};
const volatile __u32 n_filter_pids __weak = 0;
const volatile struct st_port_range filter_ports[ST_MAX_PORTS] __weak = {};
const volatile __u32 n_filter_ports __weak = 0;
const volatile __u32 event_mask __weak = ~0u;	/* ST_EV_BIT() of the kinds streamed */
const volatile __u32 work_mask __weak = ~0u;	/* the kinds to follow: event_mask and what
						 * they need (a fail needs its connect) */
const volatile __u8 want_tcp __weak = 1;
const volatile __u8 want_udp __weak = 1;
const volatile __u8 want_v4 __weak = 1;
const volatile __u8 want_v6 __weak = 1;
const volatile __u64 cookie_salt __weak = 0;	/* random per run */
const volatile __u32 filter_uid __weak = ~0u;	/* ~0: any user */
const volatile char filter_comm[ST_COMM_LEN] __weak = {};	/* "": any name */
const volatile __u8 stream __weak = 1;	/* 0: counters only, no events to the ring buffer */
/* 1: the per-process tables (proc_stats, peers, listens) are read: --summary, --top,
 * --metrics; 0: nothing reads them, and nothing writes them (bpf/emit.bpf.h) */
const volatile __u8 count_procs __weak = 1;
/* --cgroup and --container: the loader puts each subtree's directory in a slot */
const volatile __u32 n_filter_cgroups __weak = 0;
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, ST_MAX_CGROUPS);
	__type(key, __u32);
	__type(value, __u32);
} filter_cgroups SEC(".maps") __weak;
/* wake the reader only once this much is queued; it also reads on a short timer */
const volatile __u64 wakeup_bytes __weak = 0;
/*
 * --snapshot: the iterators run with no live hook loaded. Nothing races
 * them, and no close will follow, so they claim nothing and keep no owner
 * or flow, and the loader makes those maps one entry big (each 65536- or
 * 524288-entry map took 15-30 ms to create).
 */
const volatile __u8 snapshot_alone __weak = 0;

/* a close event may be streamed */
static __always_inline bool closes_streamed(void)
{
	return stream && (event_mask & ST_EV_BIT(ST_EV_CLOSE));
}

static __always_inline bool pid_wanted(__u32 pid)
{
	if (n_filter_pids == 0)
		return true;
	for (int i = 0; i < ST_MAX_PIDS; i++) {
		if (i >= n_filter_pids)
			break;
		if (filter_pids[i] == pid)
			return true;
	}
	return false;
}

static __always_inline bool port_in_filter(__u16 port)
{
	for (int i = 0; i < ST_MAX_PORTS; i++) {
		if (i >= n_filter_ports)
			break;
		if (port >= filter_ports[i].lo && port <= filter_ports[i].hi)
			return true;
	}
	return false;
}

/*
 * the current task is in one of the subtrees: bpf_current_task_under_cgroup()
 * (tracing programs of every kind, since 4.8). Only asked in the owner's
 * context (opens, listens, UDP sends): a close follows its open's owner.
 */
static __always_inline bool cgroup_wanted(void)
{
	for (int i = 0; i < ST_MAX_CGROUPS; i++) {
		if (i >= n_filter_cgroups)
			break;
		if (bpf_current_task_under_cgroup(&filter_cgroups, i) == 1)
			return true;
	}
	return false;
}

/* include/linux/sched.h: an io_uring worker (io-wq's iou-wrk-N, SQPOLL's iou-sqp-N) */
#define ST_PF_IO_WORKER	0x00000010

/*
 * The current task's name, as events show it and -c matches it. An io_uring
 * worker thread (Linux 5.12 on: a thread of the process that owns the ring,
 * its tgid the process's) stands for that process: its name is the thread
 * group leader's, not iou-wrk-N. In io_uring older than 5.12's the workers
 * are kernel threads of their own, with nothing that leads back to the
 * ring's process (README: known gaps).
 */
static __always_inline void st_current_comm(char comm[ST_COMM_LEN])
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if (BPF_CORE_READ(task, flags) & ST_PF_IO_WORKER)
		BPF_CORE_READ_STR_INTO((char (*)[ST_COMM_LEN])comm, task, group_leader, comm);
	else
		bpf_get_current_comm(comm, ST_COMM_LEN);
}

/* everything but the 5-tuple: cheap checks to run before reading the socket */
static __always_inline bool task_wanted(__u8 type, __u8 proto)
{
	/* with the stream on, a kind nothing needs costs no work at all */
	if (stream && !(work_mask & ST_EV_BIT(type)))
		return false;
	if (proto == IPPROTO_TCP && !want_tcp)
		return false;
	if (proto == IPPROTO_UDP && !want_udp)
		return false;
	if (filter_uid != ~0u && (__u32)bpf_get_current_uid_gid() != filter_uid)
		return false;
	if (filter_comm[0]) {
		char comm[ST_COMM_LEN];

		st_current_comm(comm);
		for (int i = 0; i < ST_COMM_LEN; i++) {
			if (comm[i] != filter_comm[i])
				return false;
			if (!comm[i])
				break;
		}
	}
	if (n_filter_cgroups && !cgroup_wanted())
		return false;
	/* no filter, no helper call: this runs for every packet and state change */
	return n_filter_pids == 0 || pid_wanted(bpf_get_current_pid_tgid() >> 32);
}

/* the 5-tuple's checks: family and ports */
static __always_inline bool flow_wanted(const struct st_flow *f)
{
	if (f->family == 4 && !want_v4)
		return false;
	if (f->family == 6 && !want_v6)
		return false;
	if (n_filter_ports == 0)
		return true;
	return port_in_filter(f->lport) || port_in_filter(f->rport);
}

#endif /* SOCKTRACE_CONFIG_BPF_H */

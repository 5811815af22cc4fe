// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A backend's load-time configuration, before bpf_object__load(): its
 * programs, named by the skeleton's fields (a renamed program is a compile
 * error, not a silent change), which of them load, the maps' sizes, and the
 * read-only data that carries the filters.
 */
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "backend_int.h"
#include "conn_table.h"
#include "snapshot_sizes.h"
#include "socktrace.skel.h"

struct backend_progs st_backend_progs(const struct socktrace_bpf *s, int backend)
{
	switch (backend) {
	case ST_BACKEND_FENTRY:
		return (struct backend_progs){
			.hooks = { s->progs.fe_tcp_connect, s->progs.fe_accept_v1,
				   s->progs.fe_accept_v2, s->progs.fe_udp_sendmsg,
				   s->progs.fe_udpv6_sendmsg, s->progs.fe_recv_udp_v1,
				   s->progs.fe_recv_udp_v2, s->progs.fe_udp_query,
				   s->progs.fe_udpv6_query },
			.state_main = s->progs.fk_set_state,
			.state_nested = s->progs.fk_set_state_nested,
			.state_work = s->progs.fk_set_state_work,
		};
	case ST_BACKEND_KPROBE:
		return (struct backend_progs){
			.hooks = { s->progs.kp_tcp_connect, s->progs.kp_tcp_connect_ret,
				   s->progs.kp_accept,
				   s->progs.kp_udp_sendmsg, s->progs.kp_udp_sendmsg_ret,
				   s->progs.kp_udpv6_sendmsg, s->progs.kp_udpv6_sendmsg_ret,
				   s->progs.kp_recv_udp, s->progs.kp_accept_ret },
			.state_main = s->progs.fk_set_state,
			.state_nested = s->progs.fk_set_state_nested,
			.state_work = s->progs.fk_set_state_work,
		};
	default:
		/* one accept exit of the two loads: see st_backend_load() */
		return (struct backend_progs){
			.hooks = { s->progs.tp_dev_queue, s->progs.tp_accept_exit,
				   s->progs.tp_accept_exit_btf, s->progs.tp_udp_data_ready,
				   s->progs.tp_udp_recv },
			.state_main = s->progs.tp_set_state,
			.state_nested = s->progs.tp_set_state_nested,
			.state_work = s->progs.tp_set_state_work,
		};
	}
}

/* st_kernel_iterates_map_elems(), asked once however many backends are tried */
static bool iterates_map_elems(void)
{
	static int known = -1;

	if (known < 0)
		known = st_kernel_iterates_map_elems();
	return known;
}

void st_backend_configure(struct socktrace_bpf *s, int backend, const struct st_opts *o)
{
	const struct backend_progs p = st_backend_progs(s, backend);
	struct bpf_program *prog;
	struct st_snapshot_sizes sizes;
	bool forget, nat;
	__u64 salt;

	/* only this backend's programs load */
	bpf_object__for_each_program(prog, s->obj)
		bpf_program__set_autoload(prog, false);
	for (int i = 0; i < MAX_HOOKS && p.hooks[i]; i++)
		bpf_program__set_autoload(p.hooks[i], true);
	bpf_program__set_autoload(p.state_main, true);
	bpf_program__set_autoload(p.state_nested, true);
	bpf_program__set_autoload(p.state_work, true);
	bpf_program__set_autoattach(p.state_work, false);
	/* every backend's: the snapshot of existing sockets (bpf/iter.bpf.c) */
	bpf_program__set_autoload(s->progs.snap_task_file, true);
	bpf_program__set_autoload(s->progs.snap_tcp, true);
	bpf_program__set_autoload(s->progs.snap_udp, true);
	/*
	 * every backend's where the kernel takes them: the snapshot's maps
	 * emptied after it (attached per map by user/source_snapshot.c, which
	 * deletes with bpf() where they are not loaded). --snapshot has no live
	 * hooks to disturb.
	 */
	forget = !o->snapshot && iterates_map_elems();
	bpf_program__set_autoload(s->progs.forget_claims, forget);
	bpf_program__set_autoload(s->progs.forget_holders, forget);
	bpf_program__set_autoattach(s->progs.forget_claims, false);
	bpf_program__set_autoattach(s->progs.forget_holders, false);
	/* every backend's: connects that fail before the SYN (bpf/connect_fail.bpf.c) */
	bpf_program__set_autoload(s->progs.sys_connect_enter, true);
	bpf_program__set_autoload(s->progs.sys_connect_exit, true);
	/* every backend's: cgroups named as they are made (bpf/cgroup_birth.bpf.c) */
	bpf_program__set_autoload(s->progs.cgroup_birth, true);
	/*
	 * the DNS answers' program, the same on every backend: attached by
	 * attach_dns() for -e dns and --names (which -e dns implies)
	 */
	bpf_program__set_autoload(s->progs.dns_ingress, o->names);
	bpf_program__set_autoattach(s->progs.dns_ingress, false);
	s->rodata->want_dns = o->names;
	if (!o->names) {
		/* fentry notes the queries in programs of their own (udp_send_query()) */
		bpf_program__set_autoload(s->progs.fe_udp_query, false);
		bpf_program__set_autoload(s->progs.fe_udpv6_query, false);
		bpf_map__set_max_entries(s->maps.dns_queries, 1);
		bpf_map__set_max_entries(s->maps.dns_events, 4096);
	}
	/*
	 * the DNAT bindings (bpf/nat_pending.bpf.h): the fentry backend's where
	 * nf_nat has BTF, the kprobe backend's where nf_nat is loaded
	 */
	nat = backend == ST_BACKEND_FENTRY ? st_kernel_has_nat_btf() :
	      backend == ST_BACKEND_KPROBE && st_kernel_has_nat();
	bpf_program__set_autoload(s->progs.fe_nat_setup, nat && backend == ST_BACKEND_FENTRY);
	bpf_program__set_autoload(s->progs.kp_nat_setup, nat && backend == ST_BACKEND_KPROBE);
	s->rodata->nat_pending_on = nat;
	/* the kprobe backend reports a connect at tcp_connect()'s return (bpf/kprobe.bpf.c) */
	s->rodata->connects_at_return = backend == ST_BACKEND_KPROBE;
	if (!nat)
		bpf_map__set_max_entries(s->maps.nat_pending, 1);
	/* received UDP: only where UDP is followed, and where this backend can see it */
	if (!st_udp_recv_traced(backend, o)) {
		struct bpf_program *rx[] = {
			s->progs.tp_udp_data_ready, s->progs.tp_udp_recv, s->progs.fe_recv_udp_v1,
			s->progs.fe_recv_udp_v2, s->progs.kp_recv_udp,
		};

		for (size_t i = 0; i < sizeof(rx) / sizeof(rx[0]); i++)
			bpf_program__set_autoload(rx[i], false);
		bpf_map__set_max_entries(s->maps.udp_in_ports, 1);
	}
	s->rodata->udp_idle_ns = o->udp_idle_s * 1000000000ULL;
	/* the per-process tables only where something reads them (bpf/config.bpf.h) */
	s->rodata->count_procs = o->summary || o->top || o->metrics;
	if (!s->rodata->count_procs) {
		bpf_map__set_max_entries(s->maps.proc_stats, 1);
		bpf_map__set_max_entries(s->maps.peers, 1);
		bpf_map__set_max_entries(s->maps.listens, 1);
	}
	/* UDP's flows only where UDP is followed (bpf/udp_flow.bpf.h) */
	if (!o->udp)
		bpf_map__set_max_entries(s->maps.udp_flows, 1);
	/* maps only another backend uses: keep them tiny */
	if (backend != ST_BACKEND_KPROBE) {
		bpf_map__set_max_entries(s->maps.udp_calls, 1);
		bpf_map__set_max_entries(s->maps.connect_socks, 1);
	}
	bpf_map__set_max_entries(s->maps.events, (__u32)o->buffer_size);
	/* the snapshot's maps, as big as this machine needs (user/snapshot_sizes.c) */
	st_snapshot_sizes("/proc/sys/fs/file-nr", &sizes);
	bpf_map__set_max_entries(s->maps.sock_holders, sizes.holders);
	bpf_map__set_max_entries(s->maps.snap_claims, sizes.claims);
	bpf_map__set_max_entries(s->maps.tcp_owners, sizes.owners);
	s->rodata->test_lose_close_port = (__u16)o->test_lose_close_port;
	s->rodata->test_lose_return_port = (__u16)o->test_lose_return_port;
	if (o->test_proc_table)
		bpf_map__set_max_entries(s->maps.proc_stats, (__u32)o->test_proc_table);
	s->rodata->wakeup_bytes = o->buffer_size / 8;

	memcpy((void *)s->rodata->filter_pids, o->pids, sizeof(o->pids));
	s->rodata->n_filter_pids = (__u32)o->n_pids;
	memcpy((void *)s->rodata->filter_ports, o->ports, sizeof(o->ports));
	s->rodata->n_filter_ports = (__u32)o->n_ports;
	/* the kinds the ring buffer carries: those streamed, and the open-connection
	 * table's (the pipeline streams only o->event_mask) */
	s->rodata->event_mask = o->event_mask | (o->conns ? ST_CONN_KINDS : 0);
	/* close needs the opens' owners, fail the connect's; the summary and top
	 * count every kind, as with no stream */
	s->rodata->work_mask = o->conns ? ST_EV_ALL : o->event_mask |
		(o->event_mask & ST_EV_BIT(ST_EV_CLOSE) ?
			 ST_EV_BIT(ST_EV_CONNECT) | ST_EV_BIT(ST_EV_ACCEPT) : 0) |
		(o->event_mask & ST_EV_BIT(ST_EV_FAIL) ? ST_EV_BIT(ST_EV_CONNECT) : 0);
	s->rodata->want_tcp = o->tcp;
	s->rodata->want_udp = o->udp;
	s->rodata->want_v4 = o->v4;
	s->rodata->want_v6 = o->v6;
	s->rodata->filter_uid = o->uid < 0 ? ~0u : (__u32)o->uid;
	memcpy((void *)s->rodata->filter_comm, o->comm, ST_COMM_LEN);
	s->rodata->n_filter_cgroups = (__u32)o->n_cgroup_fds;
	/* the summary and top read the kernel's counters, and their open-connection
	 * table is fed by the ring buffer; the metrics are summed from it */
	s->rodata->stream = o->stream || o->metrics || o->conns;
	if (getentropy(&salt, sizeof(salt)))
		salt = (__u64)getpid() * 0x9e3779b97f4a7c15ULL;
	s->rodata->cookie_salt = salt;
}

/*
 * --snapshot: only the three iterators load, and nothing is attached to a
 * live hook (there is nothing live to report); the maps only live hooks
 * fill or read are kept tiny.
 */
void st_backend_snapshot_only(struct socktrace_bpf *s)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, s->obj)
		bpf_program__set_autoload(prog, false);
	bpf_program__set_autoload(s->progs.snap_task_file, true);
	bpf_program__set_autoload(s->progs.snap_tcp, true);
	bpf_program__set_autoload(s->progs.snap_udp, true);
	bpf_map__set_max_entries(s->maps.events, 4096);
	bpf_map__set_max_entries(s->maps.cgroup_births, 4096);
	bpf_map__set_max_entries(s->maps.peers, 1);
	bpf_map__set_max_entries(s->maps.proc_stats, 1);
	bpf_map__set_max_entries(s->maps.listens, 1);
	/* what only a live hook would read back (bpf/config.bpf.h snapshot_alone) */
	s->rodata->snapshot_alone = 1;
	bpf_map__set_max_entries(s->maps.tcp_owners, 1);
	bpf_map__set_max_entries(s->maps.udp_flows, 1);
	bpf_map__set_max_entries(s->maps.snap_claims, 1);
}

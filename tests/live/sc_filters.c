// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* st-live scenarios: socktrace's filters, each with the expected events it keeps */
#include <string.h>
#include "shorthand.h"

static bool keep_first_client(const struct ev *e, const struct actor_run *run)
{
	return e->pid == (unsigned)run[1].pid;
}

static bool keep_port_12001(const struct ev *e, const struct actor_run *run)
{
	(void)run;
	return e->lport == 12001 || e->rport == 12001;
}

static bool keep_udp6(const struct ev *e, const struct actor_run *run)
{
	(void)run;
	return !strcmp(e->proto, "udp") && e->family == 6;
}

static bool keep_tcp(const struct ev *e, const struct actor_run *run)
{
	(void)run;
	return !strcmp(e->proto, "tcp");
}

static bool keep_accept(const struct ev *e, const struct actor_run *run)
{
	(void)run;
	return !strcmp(e->event, "accept");
}

static bool keep_fail(const struct ev *e, const struct actor_run *run)
{
	(void)run;
	return !strcmp(e->event, "fail");
}

static bool keep_refused_comm(const struct ev *e, const struct actor_run *run)
{
	(void)run;
	return !strcmp(e->comm, "st-refused");
}

static bool keep_nobody(const struct ev *e, const struct actor_run *run)
{
	(void)run;
	return e->uid == NOBODY;
}

const struct scenario sc_filter_pid = {
	.name = "filter_pid",
	.what = "--pid of one client: only its connect",
	.actors = { SRV(AF_INET, "127.0.0.1", 12000, 2), CLI(AF_INET, "127.0.0.1", 12000),
		    CLI(AF_INET, "127.0.0.1", 12000), UDPC(AF_INET, "127.0.0.1", 9003, 5) },
	.filter = &(const struct filter){ { "--pid", "@pid1" }, keep_first_client },
};

const struct scenario sc_filter_port = {
	.name = "filter_port",
	.what = "--port 12001: only connections to the second server",
	.actors = { SRV(AF_INET, "127.0.0.1", 12000, 1), SRV(AF_INET, "127.0.0.1", 12001, 2),
		    CLI(AF_INET, "127.0.0.1", 12000), CLI(AF_INET, "127.0.0.1", 12001),
		    CLI(AF_INET6, "::ffff:127.0.0.1", 12001),
		    UDPC(AF_INET, "127.0.0.1", 9003, 5) },
	.filter = &(const struct filter){ { "--port", "12001" }, keep_port_12001 },
};

const struct scenario sc_filter_udp6 = {
	.name = "filter_udp6",
	.what = "--udp -6: only IPv6 UDP flows",
	.actors = { SRV(AF_INET6, "::1", 12000, 1), CLI(AF_INET6, "::1", 12000),
		    UDPC(AF_INET, "127.0.0.1", 9003, 5), UDPC(AF_INET6, "::1", 9004, 5) },
	.filter = &(const struct filter){ { "--udp", "-6" }, keep_udp6 },
};

/* --tcp also makes the UDP flows' map tiny (user/backend_load.c): no UDP path may reach it */
const struct scenario sc_filter_tcp = {
	.name = "filter_tcp",
	.what = "--tcp: the TCP connections of both families, none of the UDP flows beside them",
	.actors = { SRV(AF_INET, "127.0.0.1", 12000, 1), CLI(AF_INET, "127.0.0.1", 12000),
		    SRV(AF_INET6, "::1", 12001, 1), CLI(AF_INET6, "::1", 12001),
		    UDPC(AF_INET, "127.0.0.1", 9003, 5), UDPC(AF_INET6, "::1", 9004, 5) },
	.filter = &(const struct filter){ { "--tcp" }, keep_tcp },
};

const struct scenario sc_filter_events = {
	.name = "filter_events",
	.what = "--events accept: only accepts",
	.actors = { SRV(AF_INET, "127.0.0.1", 12000, 2), CLI(AF_INET, "127.0.0.1", 12000),
		    CLI(AF_INET6, "::ffff:127.0.0.1", 12000),
		    UDPC(AF_INET, "127.0.0.1", 9003, 5) },
	.filter = &(const struct filter){ { "--events", "accept" }, keep_accept },
};

const struct scenario sc_filter_fail = {
	.name = "filter_fail",
	.what = "--fail: only the failed connect",
	.actors = { SRV(AF_INET, "127.0.0.1", 12000, 1), CLI(AF_INET, "127.0.0.1", 12000),
		    REFUSED(AF_INET, "127.0.0.1", 12999), UDPC(AF_INET, "127.0.0.1", 9003, 5) },
	.filter = &(const struct filter){ { "--fail" }, keep_fail },
};

const struct scenario sc_filter_comm = {
	.name = "filter_comm",
	.what = "--comm st-refused: only that process",
	.actors = { SRV(AF_INET, "127.0.0.1", 12000, 1), CLI(AF_INET, "127.0.0.1", 12000),
		    REFUSED(AF_INET, "127.0.0.1", 12999) },
	.filter = &(const struct filter){ { "--comm", "st-refused" }, keep_refused_comm },
};

const struct scenario sc_filter_uid = {
	.name = "filter_uid",
	.what = "--uid 65534: only what the processes of user nobody did, with that uid",
	.actors = { SRV(AF_INET, "127.0.0.1", 12000, 2),
		    { .kind = TCP_CLIENT, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
		      .comm = "st-nobody", .run_as = NOBODY },
		    CLI(AF_INET, "127.0.0.1", 12000),
		    { .kind = UDP_CONNECTED, .family = AF_INET, .addr = "127.0.0.1", .port = 9003,
		      .count = 5, .comm = "st-nobody", .run_as = NOBODY },
		    UDPC(AF_INET, "127.0.0.1", 9004, 5) },
	.filter = &(const struct filter){ { "--uid", "65534" }, keep_nobody },
};

static bool keep_all(const struct ev *e, const struct actor_run *run)
{
	(void)e;
	(void)run;
	return true;
}

/*
 * The kernel's cgroup filter (bpf_current_task_under_cgroup) loaded and run on
 * each backend and kernel: every actor is under the root. tests/identity.sh
 * checks subtrees that keep some and leave others out.
 */
const struct scenario sc_filter_cgroup = {
	.name = "filter_cgroup",
	.what = "--cgroup /: everything, each task checked in the kernel against the root's subtree",
	.actors = { SRV(AF_INET, "127.0.0.1", 12000, 1), CLI(AF_INET, "127.0.0.1", 12000),
		    UDPC(AF_INET, "127.0.0.1", 9003, 5) },
	.filter = &(const struct filter){ { "--cgroup", "/" }, keep_all },
};

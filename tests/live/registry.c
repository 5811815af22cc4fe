// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The scenarios live in files by family (sc_*.c); this is the order they run in. */
#include "registry.h"

/* sc_tcp.c */
extern const struct scenario sc_tcp4_textbook, sc_tcp6_textbook, sc_tcp_v4mapped, sc_tcp_bytes,
	sc_tcp_bytes6, sc_tcp_two_waiting;
/* sc_udp.c */
extern const struct scenario sc_udp_unconnected, sc_udp_connected, sc_udp6, sc_udp_idle,
	sc_udp_idle_summary;
/* sc_udp_in.c */
extern const struct scenario sc_udp_in, sc_udp_in_summary, sc_udp_in_mmsg, sc_udp_in_peek,
	sc_udp_in_peek_stream, sc_udp_in_flood, sc_udp_in_flood_summary, sc_udp_in_iouring,
	sc_udp_in_iouring_stream;
/* sc_filters.c */
extern const struct scenario sc_filter_pid, sc_filter_port, sc_filter_udp6, sc_filter_tcp,
	sc_filter_events, sc_filter_fail, sc_filter_comm, sc_filter_uid, sc_filter_cgroup;
/* sc_text.c */
extern const struct scenario sc_text_stream, sc_hostile_comm, sc_hostile_comm_text;
/* sc_failures.c */
extern const struct scenario sc_tcp_refused, sc_tcp_timeout, sc_reset_before_accept,
	sc_late_close, sc_late_close_only, sc_connect_return_lost;
/* sc_failsyn.c */
extern const struct scenario sc_fail_no_route, sc_fail_no_port, sc_fail_denied,
	sc_fail_bad_arg;
/* sc_existing.c */
extern const struct scenario sc_existing_textbook, sc_existing_by_pid, sc_existing_by_comm,
	sc_existing_storm;
/* sc_iouring.c */
extern const struct scenario sc_iouring_accept, sc_iouring_accept_async, sc_iouring_multishot,
	sc_iouring_connect, sc_iouring_sqpoll, sc_iouring_fail_no_route, sc_iouring_fail_no_port;
/* sc_identity.c */
extern const struct scenario sc_identity, sc_identity_hostile, sc_identity_by_container;
/* sc_dns.c */
extern const struct scenario sc_dns_events, sc_dns_rname, sc_dns_tcp, sc_dns_ipv6;
/* sc_nat.c */
extern const struct scenario sc_nat_dnat;
/* sc_peers.c */
extern const struct scenario sc_peers_veth;
/* sc_summary.c */
extern const struct scenario sc_overload, sc_summary_textbook, sc_summary_mixed;

const struct scenario *const scenarios[] = {
	&sc_tcp4_textbook, &sc_tcp6_textbook, &sc_tcp_v4mapped, &sc_tcp_two_waiting,
	&sc_udp_unconnected, &sc_udp_connected, &sc_udp6,
	&sc_udp_in, &sc_udp_in_summary, &sc_udp_in_mmsg, &sc_udp_in_peek, &sc_udp_in_peek_stream,
	&sc_udp_in_flood, &sc_udp_in_flood_summary, &sc_udp_in_iouring, &sc_udp_in_iouring_stream,
	&sc_filter_pid, &sc_filter_port, &sc_filter_udp6, &sc_filter_tcp, &sc_filter_events,
	&sc_text_stream, &sc_tcp_bytes, &sc_tcp_bytes6, &sc_tcp_refused, &sc_tcp_timeout,
	&sc_filter_fail, &sc_filter_comm, &sc_filter_uid, &sc_filter_cgroup, &sc_identity,
	&sc_identity_hostile, &sc_identity_by_container,
	&sc_udp_idle, &sc_udp_idle_summary,
	&sc_hostile_comm, &sc_hostile_comm_text, &sc_overload, &sc_reset_before_accept,
	&sc_late_close, &sc_late_close_only, &sc_connect_return_lost, &sc_fail_no_route, &sc_fail_no_port, &sc_fail_denied,
	&sc_fail_bad_arg, &sc_summary_textbook, &sc_summary_mixed,
	&sc_existing_textbook, &sc_existing_by_pid, &sc_existing_by_comm, &sc_existing_storm,
	&sc_iouring_accept, &sc_iouring_accept_async, &sc_iouring_multishot, &sc_iouring_connect,
	&sc_iouring_sqpoll, &sc_iouring_fail_no_route, &sc_iouring_fail_no_port, &sc_dns_events, &sc_dns_rname, &sc_dns_tcp, &sc_dns_ipv6,
	&sc_nat_dnat, &sc_peers_veth,
};

const int n_scenarios = (int)(sizeof(scenarios) / sizeof(scenarios[0]));

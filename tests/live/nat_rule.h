/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: a destination NAT in the scenario's network namespace, written
 * with nft (Debian's nftables; the VM rows carry the host's, and load the
 * kernel's nftables NAT modules). NAT_ASKED lives on that namespace's lo
 * only; TCP to NAT_ASKED:NAT_ASKED_PORT goes to 127.0.0.1:NAT_REAL_PORT, and
 * UDP to NAT_ASKED:NAT_ASKED_UDP_PORT to 127.0.0.1:NAT_REAL_UDP_PORT.
 */
#ifndef ST_LIVE_NAT_RULE_H
#define ST_LIVE_NAT_RULE_H

#include <stdbool.h>

#define NAT_ASKED	"192.0.2.10"	/* a documentation address */
#define NAT_ASKED_PORT	80
#define NAT_REAL_PORT	12000
#define NAT_ASKED_UDP_PORT	5000
#define NAT_REAL_UDP_PORT	12001

/* in the scenario's namespace, before the actors: the address and the rule; dies on failure */
void nat_rule_add(void);

/*
 * Does socktrace read the real destination here (README, "The real
 * destination behind NAT")? Where the kernel's BTF describes conntrack's
 * entry (conntrack built in, or a module with BTF of its own: 5.11+): on the
 * tracepoint backend, on fentry where nf_nat's binding function is
 * described too, and on kprobe where nf_nat is loaded (its binding function
 * probed by name).
 */
bool nat_seen(const char *backend);

#endif

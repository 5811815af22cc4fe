/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: a second network namespace joined to the scenario's by a veth
 * pair, made with rtnetlink (NETLINK_ROUTE) messages. No NAT, no route out:
 * the two addresses below live only on the pair's two ends.
 */
#ifndef ST_LIVE_VETH_H
#define ST_LIVE_VETH_H

#define VETH_NEAR	"10.231.17.1"	/* the scenario's namespace end, /24 */
#define VETH_FAR	"10.231.17.2"	/* the far namespace's end, /24 */

/*
 * Called in the scenario's namespace: makes the far namespace (its loopback
 * up), the pair "st-near" here and "st-far" there, both addressed and up,
 * and stays in the scenario's namespace. Returns an fd of the far namespace
 * (for setns()); dies on any failure, saying which step.
 */
int veth_far_ns(void);

#endif

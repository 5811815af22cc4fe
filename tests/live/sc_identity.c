// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Scenarios: who is at each end, on this machine (issue 17). Actors in a
 * docker-style scope, a kubepods pod's containerd scope and a systemd unit,
 * each cgroup made while socktrace traces: every event carries the path and
 * exactly what it names, the server's closes too (raised in softirq, on the
 * cgroup recorded at open). And a cgroup named by a stranger: control bytes,
 * a quote, a backslash and 200 more bytes, escaped in the JSON and read back
 * exact.
 */
#include "shorthand.h"

#define HEX_A	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0123456789abcdef01234567"
#define HEX_B	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define POD_U	"12345678_1234_5678_9abc_def012345678"
#define POD_D	"12345678-1234-5678-9abc-def012345678"
#define KUBE	"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_U ".slice"

/* a server in a docker scope, 2 clients in a kubepods pod, UDP from a systemd unit */
#define IDENTITY_ACTORS										\
	{ .kind = TCP_SERVER, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,		\
	  .count = 2, .comm = "st-server", .cgroup = "/docker-" HEX_A ".scope",			\
	  .who = "path=docker-" HEX_A ".scope ctr=" HEX_A },					\
	IDENTITY_POD_CLIENT, IDENTITY_POD_CLIENT,						\
	{ .kind = UDP_CONNECTED, .family = AF_INET, .addr = "127.0.0.1", .port = 9003,		\
	  .count = 5, .comm = "st-udpc", .cgroup = "/system.slice/st\\x2dweb.service",		\
	  .who = "path=st\\x2dweb.service unit=st-web.service" }
#define IDENTITY_POD_CLIENT									\
	{ .kind = TCP_CLIENT, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,		\
	  .comm = "st-client", .cgroup = KUBE "/cri-containerd-" HEX_B ".scope",		\
	  .who = "path=cri-containerd-" HEX_B ".scope ctr=" HEX_B " pod=" POD_D }

const struct scenario sc_identity = {
	.name = "identity",
	.what = "a server in a docker scope, 2 clients in a kubepods pod, UDP from a unit: "
		"cgroup_path, container, pod, unit exact on every event",
	.actors = { IDENTITY_ACTORS },
};

/* 218 bytes: ESC [31m, SOH, a quote, a backslash, 200 x, ".service" (a unit, \x2d-free) */
#define HOSTILE	"st\x1b[31m\x01\"\\" \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxxxxxxxxxxxxx.service"

const struct scenario sc_identity_hostile = {
	.name = "identity_hostile",
	.what = "a client and a UDP sender in a cgroup named with control bytes, a quote, a "
		"backslash, 218 bytes: escaped in JSON, its path and unit read back exact",
	.actors = {
		SRV(AF_INET, "127.0.0.1", 12000, 1),
		{ .kind = TCP_CLIENT, .family = AF_INET, .addr = "127.0.0.1", .port = 12000,
		  .comm = "st-client", .cgroup = "/" HOSTILE,
		  .who = "path=" HOSTILE " unit=" HOSTILE },
		{ .kind = UDP_CONNECTED, .family = AF_INET, .addr = "127.0.0.1", .port = 9003,
		  .count = 5, .comm = "st-udpc", .cgroup = "/" HOSTILE,
		  .who = "path=" HOSTILE " unit=" HOSTILE },
	},
};

/* --summary --by container: the docker scope's server, the pod's two clients, a unit in none */
const struct scenario sc_identity_by_container = {
	.name = "identity_by_container",
	.what = "--summary --by container: a docker scope's server (2 accepts), a pod's 2 clients: "
		"each container's row summed over its processes, field by field",
	.actors = { IDENTITY_ACTORS },
	.summary = true,
	.by_container = true,
};

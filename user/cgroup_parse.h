/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a cgroup v2 path names, read from the path alone (no container
 * runtime asked): the container id, the Kubernetes pod UID, the systemd unit.
 * The path is untrusted (anyone allowed to make a cgroup names it): every
 * field is bounded, and printed escaped.
 */
#ifndef ST_CGROUP_PARSE_H
#define ST_CGROUP_PARSE_H

#include <stddef.h>

#define ST_CG_PATH_MAX	4095	/* longest path kept; a longer one is left out */
#define ST_CG_ID_MAX	64	/* container id: 64 hex digits */
#define ST_CG_POD_MAX	36	/* pod UID, with dashes */
#define ST_CG_UNIT_MAX	255	/* a unit name, unescaped (kernfs names are at most 255 bytes) */

struct st_cg_ident {
	char container[ST_CG_ID_MAX + 1];	/* "": none */
	char pod[ST_CG_POD_MAX + 1];		/* "": none */
	char unit[ST_CG_UNIT_MAX + 1];		/* "": none; may hold any byte but NUL */
};

/*
 * Read path (len bytes, relative to the cgroup2 mount: "/system.slice/x.service")
 * into id. The innermost component that names each wins:
 *   container: docker-<id>.scope, cri-containerd-<id>.scope, crio-<id>.scope,
 *              libpod-<id>.scope (id: 12 to 64 lowercase hex digits), a plain
 *              directory of 64 hex digits, runc's "slice:prefix:id";
 *   pod:       kubepods[-qos]-pod<uid>.slice, or pod<uid> under a kubepods
 *              directory (cgroupfs driver); underscores become dashes;
 *   unit:      a name ending in .service, .scope, .socket, .mount, .swap or
 *              .timer that is not a container's scope; "\xHH" unescaped.
 */
void st_cg_parse(const char *path, size_t len, struct st_cg_ident *id);

#endif

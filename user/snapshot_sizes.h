/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef SOCKTRACE_SNAPSHOT_SIZES_H
#define SOCKTRACE_SNAPSHOT_SIZES_H

#include <linux/types.h>

/* the sizes of the maps that hold every open socket, for the machine as it is now */
struct st_snapshot_sizes {
	__u32 holders;	/* sock_holders: sockets some process holds */
	__u32 claims;	/* snap_claims: those, and the live opens while the snapshot runs */
	__u32 owners;	/* tcp_owners: every connection open at once, existing ones too */
};

/* from the open files of the whole machine (path: /proc/sys/fs/file-nr) */
void st_snapshot_sizes(const char *file_nr, struct st_snapshot_sizes *z);

#endif

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include "backend.h"
#include "preflight.h"

#define CAP_PERFMON_BIT	38
#define CAP_BPF_BIT	39

static bool has_cap(const struct __user_cap_data_struct d[2], int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

/* root, or CAP_BPF with CAP_PERFMON, or CAP_SYS_ADMIN (kernels before 5.8) */
static bool privileged(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};

	if (syscall(SYS_capget, &h, d))
		return geteuid() == 0;
	return has_cap(d, CAP_SYS_ADMIN) || (has_cap(d, CAP_BPF_BIT) && has_cap(d, CAP_PERFMON_BIT));
}

int st_preflight(const struct st_opts *o)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

	if (!privileged()) {
		fprintf(stderr, "socktrace: permission denied: run as root, or grant CAP_BPF and "
			"CAP_PERFMON (e.g. sudo socktrace)\n");
		return -1;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "socktrace: this kernel has no BTF at /sys/kernel/btf/vmlinux: "
			"it needs CONFIG_DEBUG_INFO_BTF=y\n");
		return -1;
	}
	st_libbpf_log_setup(o->verbose);
	/* kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);

	if (o->top && !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "socktrace: --top needs a terminal on stdout; use --summary for a "
			"pipe or a file\n");
		return -1;
	}
	return 0;
}

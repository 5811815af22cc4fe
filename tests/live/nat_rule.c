// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "btfscan.h"
#include "nat_rule.h"
#include "util.h"

/* argv run to its end: it must exit 0 */
static void run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "st-live: can't run %s: %m (nft: Debian's nftables)\n", argv[0]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		die("%s %s failed (status %d)", argv[0], argv[1], status);
}

void nat_rule_add(void)
{
	static const char rule[] =
		"table ip st_live_nat {\n"
		"	chain out {\n"
		"		type nat hook output priority -100;\n"
		"		ip daddr " NAT_ASKED " tcp dport %u dnat to 127.0.0.1:%u\n"
		"		ip daddr " NAT_ASKED " udp dport %u dnat to 127.0.0.1:%u\n"
		"	}\n"
		"}\n";
	char path[] = "/tmp/st-live-nat.XXXXXX", text[512];
	int fd = mkstemp(path);

	if (fd < 0)
		die("mkstemp %s", path);
	close(fd);
	snprintf(text, sizeof(text), rule, NAT_ASKED_PORT, NAT_REAL_PORT, NAT_ASKED_UDP_PORT,
		 NAT_REAL_UDP_PORT);
	write_file(path, text);
	run((char *const[]){ "ip", "addr", "add", NAT_ASKED "/32", "dev", "lo", NULL });
	run((char *const[]){ "nft", "-f", path, NULL });
	unlink(path);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/*
 * What the kernel's BTF describes: conntrack's entry (struct nf_conn; the
 * vmlinux BTF may describe it even where conntrack is a module, as Debian's
 * 5.10 does, else a module's own BTF, 5.11+), and nf_nat's binding function
 * (a function is in vmlinux's BTF only when built in).
 */
static void kernel_btf(bool *ct, bool *binding)
{
	struct st_btf_member m = { .type = "nf_conn", .member = "status" };
	int func = -1;

	*ct = st_btf_file_member_offsets("/sys/kernel/btf/vmlinux", &m, 1, "nf_nat_setup_info",
					 &func) == 0 ||
	      exists("/sys/kernel/btf/nf_conntrack");
	*binding = func > 0 || exists("/sys/kernel/btf/nf_nat");
}

bool nat_seen(const char *backend)
{
	bool ct, binding;

	kernel_btf(&ct, &binding);
	if (!strcmp(backend, "tracepoint"))
		return ct;
	if (!strcmp(backend, "fentry"))
		return ct && binding;
	if (!strcmp(backend, "kprobe"))
		return ct && exists("/sys/module/nf_nat");	/* its binding probed by name */
	return false;
}

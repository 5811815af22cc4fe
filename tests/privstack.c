// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-privstack: the state-change work program must run on the kernel stack.
 *
 * It is entered by tail call from two programs on inet_sock_set_state and
 * runs nested on a CPU (see st_no_private_stack() in bpf/quirks.bpf.h). Where the
 * kernel gives programs a per-CPU private stack (x86-64, recent kernels), a
 * nested run on it overwrites the interrupted run's locals: events go out
 * with another socket's fields. This starts socktrace, finds its *_set_state_work
 * program (the kernel keeps 15 bytes of a name) and reads the machine code the
 * JIT made of it: the x86-64 JIT starts a program on a private stack with
 *   movabs $stack, %r9      49 b9 <8 bytes>
 *   add    %gs:<off>, %r9   65 4c 03 0c 25 <4 bytes>
 * in its first bytes. Where no program has that prologue the test still
 * passes only if the work program was found and its code could be read.
 *
 *   st-privstack SOCKTRACE [ARGS...]
 * Ends with "N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/bpf.h>

static int passed, failed;

#define CHECK(cond, ...)                                           \
	do {                                                       \
		if (cond) {                                        \
			passed++;                                  \
		} else {                                           \
			failed++;                                  \
			printf("FAIL privstack: ");                \
			printf(__VA_ARGS__);                       \
			printf("\n");                              \
		}                                                  \
	} while (0)

/* does code start like a program on a private stack (within its first 64 bytes)? */
static int private_stack_prologue(const unsigned char *code, size_t len)
{
	static const unsigned char add_gs[] = { 0x65, 0x4c, 0x03, 0x0c, 0x25 };

	for (size_t i = 0; i + 10 + sizeof(add_gs) <= len && i < 64; i++)
		if (code[i] == 0x49 && code[i + 1] == 0xb9 &&
		    !memcmp(code + i + 10, add_gs, sizeof(add_gs)))
			return 1;
	return 0;
}

/* socktrace's stderr until its "tracing" line, at most 20 s: 0 if it came */
static int wait_attached(int fd)
{
	char buf[4096];
	size_t n = 0;
	time_t end = time(NULL) + 20;

	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 500) <= 0)
			continue;
		r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r <= 0)
			return -1;
		n += (size_t)r;
		buf[n] = 0;
		if (strstr(buf, "socktrace: tracing"))
			return 0;
		if (n == sizeof(buf) - 1)
			n = 0;
	}
	return -1;
}

/* check every loaded *_set_state_wo program; how many were found */
static int check_work_programs(void)
{
	__u32 id = 0;
	int found = 0;

	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info), code_len;
		unsigned char *code;
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
		    !strstr(info.name, "_set_state_wo")) {
			close(fd);
			continue;
		}
		found++;
		code_len = info.jited_prog_len;
		code = calloc(1, code_len ? code_len : 1);
		memset(&info, 0, sizeof(info));
		info.jited_prog_len = code_len;
		info.jited_prog_insns = (__u64)(unsigned long)code;
		len = sizeof(info);
		if (!code || bpf_obj_get_info_by_fd(fd, &info, &len) || !code_len) {
			CHECK(0, "program %u (%s): its machine code can't be read: %s", id,
			      info.name, strerror(errno));
		} else {
			CHECK(!private_stack_prologue(code, code_len),
			      "program %u (%s) runs on a per-CPU private stack, yet it is entered "
			      "by tail call and runs nested", id, info.name);
		}
		free(code);
		close(fd);
	}
	return found;
}

int main(int argc, char **argv)
{
	int err_pipe[2], status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: st-privstack SOCKTRACE [ARGS...]\n");
		return 2;
	}
	if (pipe(err_pipe))
		return 2;
	pid = fork();
	if (pid == 0) {
		dup2(err_pipe[1], 2);
		close(err_pipe[0]);
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execv(argv[1], argv + 1);
		_exit(127);
	}
	close(err_pipe[1]);
	if (pid < 0 || wait_attached(err_pipe[0])) {
		CHECK(0, "socktrace did not attach");
	} else {
		int found = check_work_programs();

		CHECK(found > 0, "no *_set_state_work program of socktrace is loaded");
	}
	if (pid > 0) {
		kill(pid, SIGINT);
		waitpid(pid, &status, 0);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * floor: attach the do-nothing programs of floor.bpf.c, say so on stderr,
 * and hold them until SIGINT or SIGTERM. bench/run times the load with them
 * attached: the cost of socktrace's hooks before any work is done in them.
 *
 * usage: floor OBJECT [PROGRAM...]
 *   OBJECT: the compiled floor.bpf.o; PROGRAM: attach only these (by name),
 *   to take the floor apart hook by hook
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static bool named(const char *name, int n, char **names)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	int n = 0, err;

	if (argc < 2) {
		fprintf(stderr, "usage: floor OBJECT [PROGRAM...]\n");
		return 2;
	}
	libbpf_set_print(quiet);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "floor: cannot open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "floor: cannot load %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (argc > 2 && !named(bpf_program__name(prog), argc - 2, argv + 2))
			continue;
		/* the links are released when the process exits */
		if (!bpf_program__attach(prog)) {
			fprintf(stderr, "floor: cannot attach %s: %s\n",
				bpf_program__name(prog), strerror(errno));
			return 1;
		}
		n++;
	}
	fprintf(stderr, "floor: attached %d programs\n", n);
	while (!stop)
		pause();
	bpf_object__close(obj);
	return 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: cgroup paths read for containers, pods and units; the mount found
 * in mountinfo; the printers with a named cgroup. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include "cgroup_names.h"
#include "format.h"
#include "unit.h"

#define HEX64A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HEX64B "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID_U  "12345678_1234_5678_9abc_def012345678"
#define UID_D  "12345678-1234-5678-9abc-def012345678"

static void parses(const char *path, const char *ctr, const char *pod, const char *unit)
{
	struct st_cg_ident id;

	st_cg_parse(path, strlen(path), &id);
	CHECK(!strcmp(id.container, ctr) && !strcmp(id.pod, pod) && !strcmp(id.unit, unit),
	      "%s: expected ctr '%s' pod '%s' unit '%s', got '%s' '%s' '%s'", path, ctr, pod, unit,
	      id.container, id.pod, id.unit);
}

static void test_cgroup_parse(void)
{
	parses("/", "", "", "");
	parses("/system.slice/nginx.service", "", "", "nginx.service");
	parses("/system.slice/systemd-journald.service", "", "", "systemd-journald.service");
	parses("/system.slice/system-getty.slice/getty@tty1.service", "", "", "getty@tty1.service");
	parses("/system.slice/foo\\x2dbar.service", "", "", "foo-bar.service");
	parses("/system.slice/a\\x00b.service", "", "", "a\\x00b.service");	/* a NUL stays escaped */
	parses("/system.slice/x\\x2.service", "", "", "x\\x2.service");
	parses("/user.slice/user-1000.slice/session-3.scope", "", "", "session-3.scope");
	parses("/system.slice/.service", "", "", "");
	parses("/system.slice", "", "", "");
	parses("/system.slice/docker-" HEX64A ".scope", HEX64A, "", "");
	parses("/system.slice/crio-" HEX64B ".scope", HEX64B, "", "");
	parses("/machine.slice/libpod-" HEX64B ".scope/container", HEX64B, "", "");
	parses("/docker/" HEX64A, HEX64A, "", "");
	parses("/docker/" HEX64A "0", "", "", "");	/* 65 digits: not an id */
	parses("/system.slice/docker-" "0123456789AB" ".scope", "", "", "docker-0123456789AB.scope");
	parses("/system.slice/docker-0123456789a.scope", "", "", "docker-0123456789a.scope");
	parses("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U
	       ".slice/cri-containerd-" HEX64B ".scope", HEX64B, UID_D, "");
	parses("/kubepods.slice/kubepods-pod" UID_U ".slice", "", UID_D, "");
	parses("/kubepods-besteffort-pod" UID_U ".slice:cri-containerd:" HEX64A, HEX64A, UID_D, "");
	parses("/system.slice:docker:" HEX64A, HEX64A, "", "");
	parses("/a:b:c:" HEX64A, "", "", "");
	parses("/kubepods/burstable/pod" UID_D "/" HEX64B, HEX64B, UID_D, "");
	parses("/pod" UID_D "/" HEX64B, HEX64B, "", "");	/* no kubepods above it */
	parses("/kubepods-podnotauid.slice", "", "", "");
	parses("/kubepods-pod12345678_12*4_5678_9abc_def012345678.slice", "", "", "");	/* no half UID */
	parses("/kubepods-pod" UID_U ".slice/kubepods-pod12345678_12*4_5678_9abc_def012345678.slice", "",
	       UID_D, "");
	parses("/a.service/b.scope", "", "", "b.scope");	/* the innermost */
	parses("//system.slice//x.service/", "", "", "x.service");
}

static void test_cgroup_mountinfo(void)
{
	char path[] = "/tmp/st-unit-mountinfo-XXXXXX", mnt[256];
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	      "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	      "40 31 0:38 /sub /elsewhere rw - cgroup2 cgroup2 rw\n"
	      "41 31 0:38 / /sys/fs/cgroup/un\\040ified rw,relatime shared:9 - cgroup2 cgroup2 rw\n",
	      f);
	fclose(f);
	CHECK(st_cgroup2_mount(path, mnt, sizeof(mnt)) == 0, "mountinfo: no cgroup2 found");
	CHECK_STR(mnt, "/sys/fs/cgroup/un ified");
	f = fopen(path, "w");
	fputs("31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n", f);
	fclose(f);
	CHECK(st_cgroup2_mount(path, mnt, sizeof(mnt)) == -ENOENT, "mountinfo without cgroup2");
	unlink(path);
}

static char *print(bool json, const struct st_cg_name *cg)
{
	return unit_print_connect(json, &(struct st_enriched){ .cg = cg });
}

static void test_cgroup_printers(void)
{
	static char path[] = "/st.slice/docker-" HEX64B ".scope", unit[] = "/st.slice/a\"\x01.service";
	static char longp[ST_CG_PATH_MAX + 1];
	struct st_cg_name cg = { .id = 9, .known = true, .path = path, .len = strlen(path) };
	char *s, want[8192];

	st_cg_parse(cg.path, cg.len, &cg.ident);
	s = print(true, &cg);
	snprintf(want, sizeof(want), ",\"cgroup\":0,\"cgroup_path\":\"%s\",\"container\":\"%s\"}\n",
		 path, HEX64B);
	CHECK(strstr(s, want) != NULL, "json: %s", s);
	free(s);
	s = print(false, &cg);
	CHECK(strstr(s, "0.0.0.0:2            0123456789ab\n") != NULL, "text: %s", s);
	CHECK(strlen(s) <= 101, "text: %zu columns", strlen(s) - 1);	/* and its newline */
	free(s);

	cg.path = unit;
	cg.len = strlen(unit);
	st_cg_parse(cg.path, cg.len, &cg.ident);
	s = print(true, &cg);
	CHECK(strstr(s, "\"cgroup_path\":\"/st.slice/a\\\"\\u0001.service\",\"unit\":\"a\\\"\\u0001."
			"service\"}\n") != NULL, "hostile json: %s", s);
	free(s);
	s = print(false, &cg);
	CHECK(strstr(s, " a\"\\x01\n") != NULL, "hostile text: %s", s);
	free(s);

	memset(longp, 'x', ST_CG_PATH_MAX);
	longp[0] = '/';
	memcpy(longp + ST_CG_PATH_MAX - 8, ".service", 8);
	cg.path = longp;
	cg.len = ST_CG_PATH_MAX;
	st_cg_parse(cg.path, cg.len, &cg.ident);
	CHECK(strlen(cg.ident.unit) == ST_CG_UNIT_MAX, "long unit: %zu", strlen(cg.ident.unit));
	s = print(true, &cg);
	CHECK(strstr(s, longp) != NULL && strstr(s, "\"}\n"), "long path cut: %zu bytes", strlen(s));
	free(s);
	s = print(false, &cg);
	CHECK(strstr(s, " xxxxxxxxxxxx~\n") != NULL, "long unit in text: %s", s);
	CHECK(strlen(s) <= 101, "long unit: %zu columns", strlen(s) - 1);
	free(s);

	s = print(true, NULL);	/* not named: no key */
	CHECK(!strstr(s, "cgroup_path") && strstr(s, "\"cgroup\":0}\n"), "unnamed: %s", s);
	free(s);
}

void test_cgroup(void)
{
	test_cgroup_parse();
	test_cgroup_mountinfo();
	test_cgroup_printers();
}

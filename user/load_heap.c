// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The heap for a load. Loading reads the kernel's BTF (5 MB on 6.18, 125,000
 * types) into fresh memory twice over (the file's bytes, libbpf's copy) and
 * indexes it: about 12 MB touched for the first time, page by page. Every
 * first touch is a fault; on a virtual machine a fault is dear (on the
 * machine of bench/TARGETS.md about 13 us: 38 ms of the parse, against 3.4
 * ms when the same parse reuses memory already present).
 *
 * So, where the kernel offers transparent huge pages, the heap grows once,
 * ahead, by LOAD_PAD, and that range is marked MADV_HUGEPAGE: the parse then
 * faults in 2 MB at a time (7-16 ms). Large allocations are kept on the heap
 * (not mmap()ed one by one) meanwhile. Without huge pages the older way is
 * kept: mlockall(MCL_FUTURE), which makes each mapping present as it is made
 * (26 ms), only where the lock limit cannot make a mapping fail.
 *
 * Nothing here is needed for correctness: any step that fails leaves malloc
 * as it was. st_load_heap_end() gives malloc back its defaults; the caller's
 * malloc_trim() then returns what the load no longer uses.
 */
#include <fcntl.h>
#include <stdio.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "load_heap.h"

#define LOAD_PAD	(32UL << 20)	/* more than a load's peak heap (about 20 MB) */
#define MALLOC_DEFAULT	(128 * 1024)	/* glibc's M_TOP_PAD and M_MMAP_THRESHOLD */

/* a small file of /sys/kernel/mm/transparent_hugepage into buf: its length, or -1 */
static ssize_t read_thp(const char *name, char *buf, size_t len)
{
	char path[96];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/mm/transparent_hugepage/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/*
 * The size of a huge page when "always" or "madvise" is chosen (2 MB on
 * x86 and on arm64 with 4 kB pages, 512 MB with 64 kB pages), else 0.
 */
static uintptr_t huge_page_offered(void)
{
	char buf[128];
	unsigned long long size;

	if (read_thp("enabled", buf, sizeof(buf)) <= 0 ||
	    !(strstr(buf, "[always]") || strstr(buf, "[madvise]")))
		return 0;
	if (read_thp("hpage_pmd_size", buf, sizeof(buf)) <= 0 || sscanf(buf, "%llu", &size) != 1 ||
	    !size || (size & (size - 1)) || size > LOAD_PAD)
		return 0;	/* no page of it could fit in the pad */
	return (uintptr_t)size;
}

static bool grow_in_huge_pages(struct st_load_heap *h, uintptr_t huge)
{
	uintptr_t from, to;
	char *end;
	void *p;
	bool ok;

	if (!mallopt(M_MMAP_THRESHOLD, (int)LOAD_PAD) || !mallopt(M_TOP_PAD, (int)LOAD_PAD))
		return false;
	/* on the heap (under the threshold), and more than it has free: it grows by the pad too */
	p = malloc(LOAD_PAD / 2);
	end = sbrk(0);
	from = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	to = (uintptr_t)end & ~(huge - 1);
	/* before the free: free() may give the top back, down to the pad */
	ok = p && end != (char *)-1 && to > from &&
	     madvise((void *)from, to - from, MADV_HUGEPAGE) == 0;
	h->from = (void *)from;
	h->len = ok ? to - from : 0;
	free(p);
	if (ok)
		return true;
	mallopt(M_TOP_PAD, MALLOC_DEFAULT);
	mallopt(M_MMAP_THRESHOLD, MALLOC_DEFAULT);
	return false;
}

void st_load_heap_begin(struct st_load_heap *h)
{
	uintptr_t huge = huge_page_offered();
	struct rlimit lim;

	h->huge = huge && grow_in_huge_pages(h, huge);
	h->locked = false;
	if (h->huge)
		return;
	if (getrlimit(RLIMIT_MEMLOCK, &lim) == 0 && lim.rlim_cur == RLIM_INFINITY)
		h->locked = mlockall(MCL_FUTURE) == 0;
}

/*
 * The parse filled the huge pages it touched. What the load allocates next
 * is small and scattered: in huge pages each would make 2 MB resident
 * (1.7 MiB more peak RSS, measured), for no fault saved worth it.
 */
void st_load_heap_parsed(struct st_load_heap *h)
{
	if (h->huge && h->len)
		madvise(h->from, h->len, MADV_NOHUGEPAGE);
}

void st_load_heap_end(struct st_load_heap *h)
{
	if (h->huge) {
		mallopt(M_TOP_PAD, MALLOC_DEFAULT);
		mallopt(M_MMAP_THRESHOLD, MALLOC_DEFAULT);
		h->huge = false;
	}
	if (h->locked) {
		munlockall();
		h->locked = false;
	}
}

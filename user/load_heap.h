/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef SOCKTRACE_LOAD_HEAP_H
#define SOCKTRACE_LOAD_HEAP_H

#include <stdbool.h>

/* how the heap was prepared for a load, to undo it after */
struct st_load_heap {
	bool huge;	/* the heap grew ahead, in huge pages */
	bool locked;	/* mlockall(MCL_FUTURE) instead */
	void *from;	/* the range marked for huge pages */
	size_t len;
};

/* before libbpf reads the kernel's BTF: fresh memory that costs few faults */
void st_load_heap_begin(struct st_load_heap *h);
/* the BTF is parsed: later faults (the load's small allocations) in small pages */
void st_load_heap_parsed(struct st_load_heap *h);
/* after the load: malloc's own settings again, the lock undone */
void st_load_heap_end(struct st_load_heap *h);

#endif

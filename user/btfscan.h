/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A minimal reader of raw BTF: finds a function's type id without parsing
 * the whole kernel BTF the way libbpf does. Used to probe fentry quickly; the
 * backends themselves still load through libbpf.
 */
#ifndef ST_BTFSCAN_H
#define ST_BTFSCAN_H

/*
 * The type id of the BTF_KIND_FUNC called name in the raw BTF that fd reads
 * (pread from offset 0; this machine's byte order), or -1 if there is none
 * or the data is not well-formed BTF. It reads the file once through a small
 * buffer: fresh memory for the whole of it costs more in page faults (5.5
 * MB, ~7 ms on a VM) than the reading itself.
 */
int st_btf_find_func(int fd, const char *name);

#endif

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef ST_VERSION_H
#define ST_VERSION_H

#include <stdio.h>

/* --version: socktrace's version, the libbpf it runs with, and the backends built in */
void st_print_version(FILE *out);

#endif

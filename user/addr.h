/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Addresses and endpoints as ss(8) writes them. */
#ifndef ST_ADDR_H
#define ST_ADDR_H

#include <stddef.h>
#include <linux/types.h>

#define ST_ADDR_LEN	64	/* "[ffff:...:ffff]:65535" fits */

/* "127.0.0.1" or "::1"; addr is in network byte order */
void st_format_ip(char *buf, size_t len, int family, const __u8 *addr);
/* "127.0.0.1:80" or "[::1]:80"; port in host byte order */
void st_format_endpoint(char *buf, size_t len, int family, const __u8 *addr, __u16 port);

#endif

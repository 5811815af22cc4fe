// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <arpa/inet.h>
#include "addr.h"

void st_format_ip(char *buf, size_t len, int family, const __u8 *addr)
{
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

void st_format_endpoint(char *buf, size_t len, int family, const __u8 *addr, __u16 port)
{
	char ip[INET6_ADDRSTRLEN];

	st_format_ip(ip, sizeof(ip), family, addr);
	if (family == 6)
		snprintf(buf, len, "[%s]:%u", ip, port);
	else
		snprintf(buf, len, "%s:%u", ip, port);
}

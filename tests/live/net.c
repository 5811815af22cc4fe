// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "net.h"
#include "util.h"

socklen_t make_addr(int family, const char *ip, unsigned port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)port);
		if (inet_pton(AF_INET6, ip, &s6->sin6_addr) != 1)
			die("bad address %s", ip);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, ip, &s4->sin_addr) != 1)
		die("bad address %s", ip);
	return sizeof(*s4);
}

void split_addr(const struct sockaddr_storage *ss, unsigned *family, char *ip, size_t len,
		unsigned *port)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		*port = ntohs(s6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			*family = 4;
			inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], ip, (socklen_t)len);
		} else {
			*family = 6;
			inet_ntop(AF_INET6, &s6->sin6_addr, ip, (socklen_t)len);
		}
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		*family = 4;
		*port = ntohs(s4->sin_port);
		inet_ntop(AF_INET, &s4->sin_addr, ip, (socklen_t)len);
	}
}

/*
 * Then every connection has ended in the kernel too (the last ACK of a close
 * can be handled a little after the process closed, in softirq).
 */
void tcp_settle(void)
{
	for (int tries = 0; tries < 1000; tries++) {
		const char *files[] = { "/proc/self/net/tcp", "/proc/self/net/tcp6" };
		bool busy = false;

		for (int i = 0; i < 2; i++) {
			FILE *f = fopen(files[i], "r");
			char line[512], st[8];

			if (!f)
				continue;
			if (!fgets(line, sizeof(line), f))	/* the header */
				line[0] = '\0';
			while (fgets(line, sizeof(line), f))
				if (sscanf(line, "%*s %*s %*s %7s", st) == 1 && strcmp(st, "06"))
					busy = true;
			fclose(f);
		}
		if (!busy)
			return;
		usleep(10000);
	}
}

void loopback_up(void)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
		die("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		die("SIOCSIFFLAGS lo");
	close(fd);
}

/* the kernel's struct in6_ifreq (linux/ipv6.h clashes with netinet/in.h) */
struct addr6_req {
	struct in6_addr addr;
	uint32_t prefixlen;
	int ifindex;
};

/* ip (IPv6) put on lo as ip/128, then waited for (at most 2 s) until a socket can bind it */
static void add6(const char *ip)
{
	struct sockaddr_storage ss;
	socklen_t sl = make_addr(AF_INET6, ip, 0, &ss);
	struct addr6_req r = { .addr = ((struct sockaddr_in6 *)&ss)->sin6_addr, .prefixlen = 128,
			       .ifindex = (int)if_nametoindex("lo") };
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);

	if (fd < 0 || !r.ifindex || (ioctl(fd, SIOCSIFADDR, &r) && errno != EEXIST))
		die("add %s/128 to lo", ip);
	close(fd);
	/* on lo no duplicate address detection is made, but the address is
	 * tentative until the kernel's work marks it done */
	for (int i = 0; i < 200; i++) {
		int b = socket(AF_INET6, SOCK_DGRAM, 0);
		int rc = b < 0 ? -1 : bind(b, (struct sockaddr *)&ss, sl);

		if (b >= 0)
			close(b);
		if (!rc)
			return;
		if (b < 0 || errno != EADDRNOTAVAIL)
			break;
		usleep(10000);
	}
	die("bind %s on lo", ip);
}

void loopback_add6(const struct actor *actors, int n)
{
	for (int i = 0; i < n; i++)
		if (actors[i].kind == TCP_SERVER && actors[i].family == AF_INET6 &&
		    strcmp(actors[i].addr, "::1") && strcmp(actors[i].addr, "::"))
			add6(actors[i].addr);
}

/*
 * A packet sent to 192.0.2.0/24 comes back in on lo for an address nobody
 * here has, and is dropped. A connect to it times out, and nothing leaves the
 * namespace.
 */
void blackhole_route(void)
{
	struct rtentry rt = {};
	struct sockaddr_in *dst = (struct sockaddr_in *)&rt.rt_dst;
	struct sockaddr_in *mask = (struct sockaddr_in *)&rt.rt_genmask;
	char dev[] = "lo";
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	dst->sin_family = AF_INET;
	dst->sin_addr.s_addr = htonl(0xc0000200);	/* 192.0.2.0 */
	mask->sin_family = AF_INET;
	mask->sin_addr.s_addr = htonl(0xffffff00);
	rt.rt_flags = RTF_UP;
	rt.rt_dev = dev;
	if (fd < 0 || ioctl(fd, SIOCADDRT, &rt))
		die("SIOCADDRT 192.0.2.0/24 dev lo");
	close(fd);
}

void udp_sinks(const struct actor *actors, int n, int *fds, int *n_fds)
{
	*n_fds = 0;
	for (int i = 0; i < n; i++) {
		const struct actor *a = &actors[i];
		unsigned ports[2] = { a->port, a->port2 };

		if (a->kind != UDP_CONNECTED && a->kind != UDP_UNCONNECTED)
			continue;
		for (int k = 0; k < (a->kind == UDP_UNCONNECTED ? 2 : 1); k++) {
			struct sockaddr_storage ss;
			socklen_t sl = make_addr(a->family, a->addr, ports[k], &ss);
			int rcvbuf = 1 << 20;
			int fd = socket(a->family, SOCK_DGRAM, 0);

			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
			if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl))
				die("udp sink %s:%u", a->addr, ports[k]);
			fds[(*n_fds)++] = fd;
		}
	}
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "net.h"
#include "util.h"
#include "veth.h"

#define PREFIX_LEN	24

/* one request being built: the header, then attributes appended */
struct nl_req {
	struct nlmsghdr h;
	char buf[512];
};

static void *req_tail(struct nl_req *r)
{
	return (char *)&r->h + NLMSG_ALIGN(r->h.nlmsg_len);
}

/* an attribute of n bytes at p (a nest: n 0, its length set by nest_end()) */
static struct rtattr *attr_put(struct nl_req *r, unsigned short type, const void *p, size_t n)
{
	size_t at = NLMSG_ALIGN(r->h.nlmsg_len);
	struct rtattr *a = req_tail(r);

	if (at + RTA_SPACE(n) > sizeof(*r))
		die("veth: netlink request too long");
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(n);
	if (n)
		memcpy(RTA_DATA(a), p, n);
	r->h.nlmsg_len = (unsigned)(at + RTA_SPACE(n));
	return a;
}

/* a nest's length, once what it holds has been appended */
static void nest_end(struct nl_req *r, struct rtattr *a)
{
	a->rta_len = (unsigned short)((char *)req_tail(r) - (char *)a);
}

/* send r on a NETLINK_ROUTE socket of this namespace and wait for its ack */
static void nl_talk(struct nl_req *r, const char *what)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char ack[1024];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	ssize_t n;

	r->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	r->h.nlmsg_seq = 1;
	if (fd < 0 || sendto(fd, r, r->h.nlmsg_len, 0, (struct sockaddr *)&kernel,
			     sizeof(kernel)) != (ssize_t)r->h.nlmsg_len)
		die("veth: %s: send", what);
	n = recv(fd, ack, sizeof(ack), 0);
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		die("veth: %s: no answer", what);
	struct nlmsghdr *h = (struct nlmsghdr *)ack;
	const struct nlmsgerr *e = NLMSG_DATA(h);

	if (h->nlmsg_type != NLMSG_ERROR)
		die("veth: %s: answer of type %u, not an ack", what, h->nlmsg_type);
	if (e->error) {
		errno = -e->error;
		die("veth: %s", what);
	}
	close(fd);
}

/* RTM_NEWLINK: "st-near" here, its peer "st-far" moved into the namespace far */
static void make_pair(int far)
{
	struct nl_req r = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
				   .nlmsg_type = RTM_NEWLINK,
				   .nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL } };
	struct ifinfomsg peer = { .ifi_family = AF_UNSPEC };
	struct rtattr *info, *data, *p;
	unsigned fd = (unsigned)far;

	attr_put(&r, IFLA_IFNAME, "st-near", sizeof("st-near"));
	info = attr_put(&r, IFLA_LINKINFO, NULL, 0);
	attr_put(&r, IFLA_INFO_KIND, "veth", sizeof("veth") - 1);
	data = attr_put(&r, IFLA_INFO_DATA, NULL, 0);
	/* VETH_INFO_PEER holds a struct ifinfomsg, then the peer's own attributes */
	p = attr_put(&r, VETH_INFO_PEER, &peer, sizeof(peer));
	attr_put(&r, IFLA_IFNAME, "st-far", sizeof("st-far"));
	attr_put(&r, IFLA_NET_NS_FD, &fd, sizeof(fd));
	nest_end(&r, p);
	nest_end(&r, data);
	nest_end(&r, info);
	nl_talk(&r, "RTM_NEWLINK veth st-near/st-far (is veth built or loaded?)");
}

/* RTM_NEWADDR ip/PREFIX_LEN on dev, then RTM_NEWLINK dev up; in this namespace */
static void address_up(const char *dev, const char *ip)
{
	struct nl_req a = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
				   .nlmsg_type = RTM_NEWADDR,
				   .nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL } };
	struct nl_req l = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
				   .nlmsg_type = RTM_NEWLINK } };
	struct ifaddrmsg *ifa = NLMSG_DATA(&a.h);
	struct ifinfomsg *ifi = NLMSG_DATA(&l.h);
	unsigned idx = if_nametoindex(dev);
	struct in_addr in;	/* network byte order, as IFA_LOCAL and IFA_ADDRESS take it */
	char what[96];

	if (!idx)
		die("veth: no interface %s", dev);
	if (inet_pton(AF_INET, ip, &in) != 1)
		die("veth: bad address %s", ip);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = PREFIX_LEN;
	ifa->ifa_index = idx;
	attr_put(&a, IFA_LOCAL, &in, sizeof(in));
	attr_put(&a, IFA_ADDRESS, &in, sizeof(in));
	snprintf(what, sizeof(what), "RTM_NEWADDR %s/%d dev %s", ip, PREFIX_LEN, dev);
	nl_talk(&a, what);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)idx;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	snprintf(what, sizeof(what), "RTM_NEWLINK %s up", dev);
	nl_talk(&l, what);
}

int veth_far_ns(void)
{
	int near = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), far;

	if (near < 0)
		die("veth: open /proc/self/ns/net");
	if (unshare(CLONE_NEWNET))
		die("veth: unshare(CLONE_NEWNET)");
	far = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (far < 0)
		die("veth: open the far /proc/self/ns/net");
	loopback_up();
	if (setns(near, CLONE_NEWNET))
		die("veth: setns back");
	make_pair(far);
	address_up("st-near", VETH_NEAR);
	if (setns(far, CLONE_NEWNET))
		die("veth: setns into the far namespace");
	address_up("st-far", VETH_FAR);
	if (setns(near, CLONE_NEWNET))
		die("veth: setns back");
	close(near);
	return far;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracepoint backend's received UDP (Linux 6.3 and later: the loader
 * loads these only where both tracepoints exist). sock:sock_recv_length is
 * traced in sock_recvmsg_nosec() as every recvmsg() of a socket returns
 * (recv(), recvfrom(), read(), recvmsg(), each message of recvmmsg(),
 * io_uring's receives), with the socket, the result and the flags; the
 * datagram is gone by then. A read takes the head of the socket's queue, so
 * the datagram the next read will take is noted in the socket's storage
 * (udp_next): from the head of the queue after each read, or, when the queue
 * was empty, as one arrives (sock:sk_data_ready, before the reader is woken).
 * A reader that takes a datagram in the instant between its queueing and
 * sk_data_ready finds no note: that read is counted on the process, on no
 * flow (udp_rx_unmatched), as is one whose note's port is not the socket's.
 */
#include "read_btf.bpf.h"
#include "udp_recv.bpf.h"

#define ST_MSG_ERRQUEUE	0x2000
#define ST_SOCK_DGRAM	2

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct udp_rx_note);
} udp_next SEC(".maps");

/* a UDP socket (not a raw one of protocol 17, nor UDP-Lite) */
static __always_inline bool is_udp(struct sock *sk)
{
	return RD(sk, sk_protocol) == IPPROTO_UDP && RD(sk, sk_type) == ST_SOCK_DGRAM;
}

/* the datagram at the head of sk's queues, as the next read takes it, into n */
static __always_inline bool udp_head(struct sock *sk, struct udp_rx_note *n)
{
	struct udp_sock *up = (struct udp_sock *)sk;
	struct sk_buff *skb = NULL;

	/* udp_recvmsg() reads reader_queue, and refills it from sk_receive_queue */
	if (BPF_CORE_READ(up, reader_queue.qlen))
		skb = BPF_CORE_READ(up, reader_queue.next);
	else if (BPF_CORE_READ(sk, sk_receive_queue.qlen))
		skb = BPF_CORE_READ(sk, sk_receive_queue.next);
	return skb && udp_note_of_skb(skb, n);
}

/*
 * After a read: note the next datagram. With none queued the note is marked
 * empty, and the queues looked at again after a full barrier: a delivery
 * racing on another CPU (tp_udp_data_ready(), which fences between its
 * enqueue and its look at the note) then either finds the empty mark and
 * notes its datagram, or its datagram is found here (docs/DESIGN.md#the-fence).
 */
static __always_inline void udp_note_next(struct sock *sk, struct udp_rx_note *next)
{
	if (udp_head(sk, next))
		return;
	next->family = 0;
	owners_fence();
	if (!udp_head(sk, next))
		next->family = 0;
}

SEC("tp_btf/sk_data_ready")
int BPF_PROG(tp_udp_data_ready, struct sock *sk)
{
	struct udp_rx_note *next;

	if (!is_udp(sk))
		return 0;
	next = bpf_sk_storage_get(&udp_next, sk, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (!next)
		return 0;
	owners_fence();		/* the datagram was queued before; the note is read after */
	if (!next->family && !udp_head(sk, next))	/* the queue was empty: this one is next */
		next->family = 0;
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(tp_udp_recv, struct sock *sk, int ret, int flags)
{
	struct udp_rx_note *next, read;

	if (ret < 0 || (flags & (ST_MSG_PEEK | ST_MSG_ERRQUEUE)) || !is_udp(sk))
		return 0;
	next = bpf_sk_storage_get(&udp_next, sk, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (!next)
		return 0;
	read = *next;
	udp_note_next(sk, next);
	if (!udp_count_in(sk, &read)) {
		struct st_flow f = {};

		/* its process's, on no flow; the bytes the read returned for its payload */
		flow_from_sk(sk, IPPROTO_UDP, &f);
		udp_count_unmatched(&f, ret);
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

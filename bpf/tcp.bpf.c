// SPDX-License-Identifier: GPL-2.0
/* TCP connections without kprobes. Owners are remembered per socket when
 * the process is known (connect, listen, send, receive; an accepted socket
 * inherits its listener's, by storage cloning), because the state changes
 * themselves often run in softirq where current is not the owner. Bytes
 * come from the socket's own counters, read when the iterator dumps it or
 * when it closes, so no per-packet work is done here. */
#include "common.bpf.h"
#include "events.bpf.h"
#include "tcp.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC | BPF_F_CLONE);
	__type(key, int);
	__type(value, struct tcp_owner);
} owners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 512 * 1024);
} closed SEC(".maps");

/* Owners seed_owners found, by socket address, until dump_conns moves each
 * into its socket's storage: a socket reached from a file table is a
 * pointer the verifier does not trust for storage, one from the TCP
 * iterator is. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct tcp_seed);
} seeds SEC(".maps");

/* Bumped by every change to what a dump shows that no segment comes with
 * (a state change, a new owner); userspace skips the dump while neither
 * this nor the kernel's segment counters moved (probes/tcp.c). */
__u64 changes;

static __always_inline bool is_tcp(const struct sock *sk)
{
	__u16 family = sk->__sk_common.skc_family;

	return sk->sk_protocol == IPPROTO_TCP && (family == AF_INET || family == AF_INET6);
}

static __always_inline struct tcp_owner *owner_of(const struct sock *sk, bool create)
{
	return bpf_sk_storage_get(&owners, (struct sock *)sk, 0,
				  create ? BPF_SK_STORAGE_GET_F_CREATE : 0);
}

/* The calling process owns the socket from now on. */
static __always_inline void take_ownership(struct tcp_owner *o)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if ((o->flags & TCP_OWNER_KNOWN) && o->tgid == tgid)
		return;
	o->tgid = tgid;
	o->flags |= TCP_OWNER_KNOWN;
	bpf_get_current_comm(o->comm, sizeof(o->comm));
	__sync_fetch_and_add(&changes, 1);
}

/* The filter, applied to the socket's owner and the socket's cgroup (that
 * of the process that created it, or of its listener). */
static __always_inline bool conn_wanted(const struct sock *sk, const struct tcp_owner *o)
{
	struct filter_cfg *cfg = filter_get();

	if (!cfg)
		return true;
	if (cfg->pids_on && (!o || !(o->flags & TCP_OWNER_KNOWN) ||
			     !bpf_map_lookup_elem(&filter_pids, &o->tgid)))
		return false;
	if (cfg->cgroup_on && !cgroup_chain_has(sk->sk_cgrp_data.cgroup, cfg->cgroup_id))
		return false;
	return true;
}

#define BIT(st) (1u << (st))

/* Payload the peer has acknowledged. bytes_acked also counts our SYN on
 * the active side and our FIN once acked; bytes_sent (payload only) also
 * counts retransmissions. Where the states are known (born under ebtop),
 * take the control bytes out exactly; else the smaller of the two, exact
 * unless both a retransmission and a SYN or FIN are in play. */
static __always_inline __u64 tx_payload(struct tcp_sock *tp, const struct tcp_owner *o, __u32 states)
{
	__u64 acked = tp->bytes_acked, sent = tp->bytes_sent;
	__u32 fin_sent = BIT(TCP_FIN_WAIT1) | BIT(TCP_FIN_WAIT2) | BIT(TCP_CLOSING) |
			 BIT(TCP_LAST_ACK) | BIT(TCP_TIME_WAIT);

	if (!o || !o->born_ns)
		return acked < sent ? acked : sent;
	if (acked && (states & BIT(TCP_SYN_SENT)))
		acked--;
	/* a FIN takes a sequence number of its own (write_seq counts it) */
	if (acked && (states & fin_sent) && tp->snd_una == tp->write_seq)
		acked--;
	return acked;
}

static __always_inline void fill(struct tcp_conn *c, struct tcp_sock *tp, const struct tcp_owner *o)
{
	struct sock *sk = (struct sock *)tp;

	__builtin_memset(c, 0, sizeof(*c));
	c->sk = (__u64)sk;
	c->family = sk->__sk_common.skc_family;
	c->state = sk->__sk_common.skc_state;
	/* inet_sport, unlike skc_num, survives the unhash that precedes
	 * the CLOSE transition */
	c->sport = __builtin_bswap16(((struct inet_sock *)sk)->inet_sport);
	c->dport = __builtin_bswap16(sk->__sk_common.skc_dport);
	if (c->family == AF_INET) {
		__builtin_memcpy(c->saddr, &sk->__sk_common.skc_rcv_saddr, 4);
		__builtin_memcpy(c->daddr, &sk->__sk_common.skc_daddr, 4);
	} else {
		BPF_CORE_READ_INTO(&c->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&c->daddr, sk, __sk_common.skc_v6_daddr);
	}
	c->states = (o ? o->states : 0) | BIT(c->state & 31);
	c->tx_bytes = tx_payload(tp, o, c->states);
	/* bytes_received counts a received FIN; SOCK_DONE says one came */
	c->rx_bytes = tp->bytes_received;
	if (c->rx_bytes && (sk->__sk_common.skc_flags & (1UL << bpf_core_enum_value(enum sock_flags, SOCK_DONE))))
		c->rx_bytes--;
	c->uid = sk->sk_uid.val;
	c->srtt_us = tp->srtt_us >> 3;
	c->rttvar_us = tp->mdev_us >> 2;
	c->cwnd = tp->snd_cwnd;
	c->total_retrans = tp->total_retrans;
	c->err = sk->sk_err;
	if (o) {
		c->born_ns = o->born_ns;
		c->connect_ns = o->connect_ns;
		c->retransmits = o->retransmits;
		c->tgid = o->tgid;
		c->flags = o->flags;
		__builtin_memcpy(c->comm, o->comm, sizeof(c->comm));
	}
}

static __always_inline void send_closed(struct tcp_sock *tp, const struct tcp_owner *o, int state,
					__u32 flags)
{
	struct tcp_conn *c = bpf_ringbuf_reserve(&closed, sizeof(*c), 0);

	if (!c) {
		count_lost();
		return;
	}
	fill(c, tp, o);
	c->state = state; /* the socket's own field changes after the tracepoint */
	c->flags |= flags;
	c->end_ns = bpf_ktime_get_ns();
	bpf_ringbuf_submit(c, wakeup_flags(&closed));
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tcp_state, const struct sock *sk, int oldstate, int newstate)
{
	struct tcp_owner *o;
	struct tcp_sock *tp;

	if (!is_tcp(sk))
		return 0;
	__sync_fetch_and_add(&changes, 1);
	o = owner_of(sk, true);
	if (!o)
		return 0;
	switch (newstate) {
	case TCP_SYN_SENT: /* connect(): process context */
	case TCP_LISTEN:   /* listen(): process context */
		/* a socket may connect again after a close: a new connection */
		o->born_ns = bpf_ktime_get_ns();
		o->connect_ns = 0;
		o->retransmits = 0;
		o->states = 0;
		o->flags &= ~(TCP_PREEXISTING | TCP_RESET_SENT | TCP_RESET_RECEIVED | TCP_CLOSE_SENT);
		take_ownership(o);
		break;
	case TCP_ESTABLISHED:
		if (oldstate == TCP_SYN_SENT && o->born_ns)
			o->connect_ns = bpf_ktime_get_ns() - o->born_ns;
		break;
	case TCP_SYN_RECV: /* a new child of a listener: its storage is a clone */
		o->born_ns = bpf_ktime_get_ns();
		o->states = 1u << TCP_SYN_RECV;
		o->flags &= ~TCP_PREEXISTING;
		return 0;
	case TCP_CLOSE:
		o->states |= 1u << oldstate;
		tp = bpf_skc_to_tcp_sock((void *)sk);
		if (tp && oldstate != TCP_LISTEN && conn_wanted(sk, o)) {
			send_closed(tp, o, TCP_CLOSE, 0);
			/* kept, with the socket, for a reset that follows */
			o->flags |= TCP_CLOSE_SENT;
		}
		return 0;
	}
	o->states |= (1u << oldstate) | (1u << newstate);
	return 0;
}

/* Resets, counted on the socket's owner. An abort (a close with data
 * unread, a zero linger) sends its reset after the socket went to CLOSE,
 * so after its close record: a second record, flagged, follows it. */
SEC("tp_btf/tcp_send_reset")
int BPF_PROG(tcp_reset_sent, const struct sock *sk, const struct sk_buff *skb, int reason)
{
	/* sk: none for a reply to a segment no socket wanted */
	struct tcp_sock *tp = sk ? bpf_skc_to_tcp_sock((void *)sk) : NULL;
	struct tcp_owner *o = tp ? owner_of((struct sock *)tp, false) : NULL;

	if (!o)
		return 0;
	if (o->flags & TCP_CLOSE_SENT)
		send_closed(tp, o, TCP_CLOSE, TCP_LATE_RESET);
	o->flags |= TCP_RESET_SENT;
	return 0;
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(tcp_reset_received, struct sock *sk)
{
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	struct tcp_owner *o = tp ? owner_of((struct sock *)tp, false) : NULL;

	if (o)
		o->flags |= TCP_RESET_RECEIVED;
	return 0;
}

/* Retransmissions, for the rate; the kernel's total_retrans is the count.
 * Timers and softirqs run this: the socket is known, current is not. */
SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(tcp_retransmit, const struct sock *sk, const struct sk_buff *skb, int err)
{
	struct tcp_sock *tp = err ? NULL : bpf_skc_to_tcp_sock((void *)sk);
	struct tcp_owner *o = tp ? owner_of((struct sock *)tp, false) : NULL;

	if (o)
		__sync_fetch_and_add(&o->retransmits, 1);
	return 0;
}

/* Payload moving through the socket layer: process context, so current
 * is (now) the owner. Covers sockets opened before ebtop and ones handed
 * to another process (a pre-forking server's workers). */
static __always_inline int on_io(const struct sock *sk)
{
	struct tcp_owner *o;

	if (!sk || !is_tcp(sk))
		return 0;
	o = owner_of(sk, true);
	if (o)
		take_ownership(o);
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(tcp_send, struct sock *sk, int ret, int flags)
{
	return on_io(sk);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(tcp_recv, struct sock *sk, int ret, int flags)
{
	return on_io(sk);
}

/* Run once at start: the owner of every TCP socket already open is a
 * process holding it in its file table. */
SEC("iter/task_file")
int seed_owners(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct tcp_seed seed;
	struct socket *sock;
	struct sock *sk;
	__u64 key;

	if (!task || !file)
		return 0;
	sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	sk = sock->sk;
	if (!sk || !is_tcp(sk))
		return 0;
	key = (__u64)sk;
	seed.tgid = task->tgid;
	__builtin_memcpy(seed.comm, task->comm, sizeof(seed.comm));
	/* the first holder found owns it, as for a socket passed on later */
	bpf_map_update_elem(&seeds, &key, &seed, BPF_NOEXIST);
	return 0;
}

/* A socket seed_owners found an owner for takes it, unless its own
 * programs saw one first. */
static __always_inline void take_seed(struct tcp_sock *tp, struct tcp_owner *o)
{
	__u64 key = (__u64)tp;
	struct tcp_seed *seed = bpf_map_lookup_elem(&seeds, &key);

	if (!seed)
		return;
	if (!(o->flags & TCP_OWNER_KNOWN)) {
		o->tgid = seed->tgid;
		o->flags |= TCP_OWNER_KNOWN;
		__builtin_memcpy(o->comm, seed->comm, sizeof(o->comm));
	}
	bpf_map_delete_elem(&seeds, &key);
}

/* Run every refresh: one record per full TCP socket (listeners included;
 * time-wait and request sockets have no counters and are skipped). */
SEC("iter/tcp")
int dump_conns(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct tcp_owner *o;
	struct tcp_sock *tp;
	struct tcp_conn c;

	if (!skc)
		return 0;
	tp = bpf_skc_to_tcp_sock(skc);
	if (!tp)
		return 0;
	o = owner_of((struct sock *)tp, true);
	if (o && !o->born_ns)
		o->flags |= TCP_PREEXISTING;
	if (o)
		take_seed(tp, o);
	if (!conn_wanted((struct sock *)tp, o))
		return 0;
	fill(&c, tp, o);
	bpf_seq_write(ctx->meta->seq, &c, sizeof(c));
	return 0;
}

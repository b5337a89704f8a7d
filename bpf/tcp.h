/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of the tcp probe. A connection's owner lives in
 * socket-local storage (freed with the socket); a bpf_iter over the TCP
 * tables dumps live connections as tcp_conn records each refresh, and a
 * close sends the same record, with its end time, through a ring buffer. */
#ifndef EBTOP_TCP_H
#define EBTOP_TCP_H

#define TCP_COMM_LEN 16

enum tcp_owner_flags {
	TCP_OWNER_KNOWN = 1,     /* tgid and comm are set */
	TCP_PREEXISTING = 2,     /* open before ebtop started: born_ns unknown */
};

struct tcp_owner {
	__u64 born_ns;           /* bpf_ktime_get_ns at connect/listen/accept */
	__u32 tgid;
	__u32 states;            /* bit (1 << state) for each TCP state visited */
	__u32 flags;
	char comm[TCP_COMM_LEN];
};

/* An owner found in a file table at start, before its socket is dumped. */
struct tcp_seed {
	__u32 tgid;
	char comm[TCP_COMM_LEN];
};

struct tcp_conn {
	__u64 sk;                /* kernel address: an identity, never shown */
	__u64 born_ns;           /* 0 when unknown (pre-existing) */
	__u64 end_ns;            /* close events only */
	__u64 tx_bytes;          /* payload acked by the peer */
	__u64 rx_bytes;          /* payload received in order */
	__u32 tgid;              /* 0 when the owner is unknown */
	__u32 uid;
	__u32 states;
	__u32 flags;
	__u16 family;            /* AF_INET or AF_INET6 */
	__u16 sport, dport;      /* host order */
	__u8 state;              /* the kernel's TCP_* state */
	__u8 pad;
	__u8 saddr[16], daddr[16];   /* IPv4 in the first 4 bytes */
	char comm[TCP_COMM_LEN];
};

#endif

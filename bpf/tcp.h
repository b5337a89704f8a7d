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
	TCP_RESET_SENT = 4,
	TCP_RESET_RECEIVED = 8,
	TCP_CLOSE_SENT = 16,     /* its close record is in the ring buffer */
	TCP_LATE_RESET = 32,     /* record only: the reset that followed its close */
};

struct tcp_owner {
	__u64 born_ns;           /* bpf_ktime_get_ns at connect/listen/accept */
	__u64 connect_ns;        /* SYN_SENT -> ESTABLISHED; 0 for other opens */
	__u32 retransmits;       /* tcp_retransmit_skb events, for the rate */
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
	__u64 connect_ns;
	__u32 srtt_us;           /* smoothed RTT and its mean deviation, as */
	__u32 rttvar_us;         /* tcp_info reports them */
	__u32 cwnd;              /* segments */
	__u32 total_retrans;     /* the kernel's count of retransmitted segments */
	__u32 retransmits;       /* events seen by ebtop, for the rate */
	__u32 err;               /* the socket's error when it closed */
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

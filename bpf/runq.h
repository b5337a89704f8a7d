/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of the runq probe: run-queue latency histograms with
 * log-linear buckets (8 linear steps per power of two, in microseconds), so
 * a percentile is within 12.5% instead of the factor of two of log2. */
#ifndef EBTOP_RUNQ_H
#define EBTOP_RUNQ_H

#define RUNQ_SUB_BITS 3
#define RUNQ_SUB (1 << RUNQ_SUB_BITS)
#define RUNQ_BUCKETS 192         /* up to 2^25 us, about 33 s */
#define RUNQ_SUM_KEY RUNQ_BUCKETS /* the system histogram's last slot: all waits, ns */
#define RUNQ_MAX_PROCS 16384

/* per-process value, key = tgid */
struct runq_proc {
	__u64 count;
	__u32 exited;
	__u32 epoch;        /* of the last write (bpf/changed.bpf.h) */
	char comm[16];      /* the group leader's: when the entry was made, after each exec */
	__u64 bucket[RUNQ_BUCKETS];
};

#endif

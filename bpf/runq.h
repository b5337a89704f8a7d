/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of the runq probe: run-queue latency histograms
 * (bpf/hist.h), system-wide and per process. */
#ifndef EBTOP_RUNQ_H
#define EBTOP_RUNQ_H

#include "hist.h"

#define RUNQ_SUM_KEY HIST_BUCKETS /* the system histogram's last slot: all waits, ns */
#define RUNQ_MAX_PROCS 16384

/* per-process value, key = tgid */
struct runq_proc {
	__u64 count;
	__u32 exited;
	__u32 epoch;        /* of the last write (bpf/changed.bpf.h) */
	char comm[16];      /* the group leader's: when the entry was made, after each exec */
	__u64 bucket[HIST_BUCKETS];
};

#endif

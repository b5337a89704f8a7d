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
	__u64 slow;         /* waits of at least slow_ns */
	__u32 exited;
	__u32 epoch;        /* of the last write (bpf/changed.bpf.h) */
	char comm[16];      /* the group leader's: when the entry was made, after each exec */
	__u64 bucket[HIST_BUCKETS];
};

/* Who made them wait: each CPU remembers its last RUNQ_RUNS runs, so a
 * wait that ends is charged to the processes that held the CPU while it
 * lasted, each for its share. Times are the run queue's clock, the one
 * sched_info.last_queued is in. */
#define RUNQ_RUNS 8
#define RUNQ_MAX_PAIRS 16384

struct runq_run {
	__u64 start, end;
	__u64 task;         /* struct task_struct *, for its comm, never followed otherwise */
	__u32 tgid;         /* 0: the CPU was idle */
	__u32 pad;
};

struct runq_cpu {
	__u64 rq;           /* this CPU's struct rq, from a fair task's queue */
	__u64 since;        /* when the running task got the CPU */
	__u32 head;         /* runs pushed so far */
	__u32 pad;
	struct runq_run ring[RUNQ_RUNS];
};

struct runq_pair_key {
	__u32 culprit, victim;   /* tgids */
};

struct runq_pair {
	__u64 caused_ns;    /* the culprit's shares of the victim's waits */
	__u64 waits;        /* waits of the victim it had a share in */
	/* the longest such wait in epoch e sits in slot e & 1 (userspace
	 * reads the slot of the epoch it just closed) */
	__u64 worst_ns[2];
	__u32 worst_epoch[2];
	char culprit_comm[16], victim_comm[16];
};

#endif

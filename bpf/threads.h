/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of the thread view (H, --threads): a task iterator
 * dumps each thread's own counters when userspace reads it, so nothing
 * is kept per thread and the scheduler path does no work for the view. */
#ifndef EBTOP_THREADS_H
#define EBTOP_THREADS_H

struct thread_rec {
	__u64 start_ns;     /* the thread's start time: a tid reused is another thread */
	__u64 runtime_ns;   /* se.sum_exec_runtime: its time on a CPU */
	__u64 run_delay_ns; /* sched_info.run_delay: its time waiting for one */
	__u64 pcount;       /* sched_info.pcount: its runs, so its waits */
	__u32 tid, tgid;
	char comm[16];      /* the thread's own name */
};

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of the cpu probe: on-CPU time per process. */
#ifndef EBTOP_CPU_H
#define EBTOP_CPU_H

#define CPU_MAX_PROCS 65536
#define CPU_COMM_LEN 16

/* procs map value, keyed by tgid (the idle tasks' time is in each CPU's
 * slot, idle_ns). */
struct cpu_proc {
	__u64 oncpu_ns;    /* cumulative, completed slices only */
	/* cgroup v2 id, uid, threads and comm: as at the process's first
	 * switch-out of the interval */
	__u64 cgroup_id;
	__u32 uid;
	__u32 nr_threads;
	__u32 exited;      /* set when the whole process has exited */
	__u32 epoch;       /* of the last write (bpf/changed.bpf.h) */
	char comm[CPU_COMM_LEN];
};

/* running map value (per-CPU, one slot): the slice in progress, from the
 * switch that began it; replaced at the next switch. */
struct cpu_running {
	__u64 start_ns;    /* bpf_ktime_get_ns at switch-in */
	__u64 rt_start;    /* the task's se.sum_exec_runtime then */
	__u32 pid;         /* thread, 0 for an idle task */
	__u32 tgid;
	__u32 wanted;      /* passed the filter at switch-in */
	__u32 pad;
	__u64 rq;          /* this CPU's struct rq, for cpu_now; 0: unknown */
	/* The idle task's time on this CPU, cumulative, to the last switch
	 * away from it seen: a per-CPU add, as one entry for all CPUs would
	 * take an atomic add on a cache line they pass around. */
	__u64 idle_ns;
};

/* now map value (per-CPU, one slot), written by cpu_now when userspace
 * runs it: the CPU's slot, then the task its run queue has running. They
 * differ when the switch to that task was not seen. */
struct cpu_now {
	struct cpu_running slot;
	__u64 rt;          /* the running task's se.sum_exec_runtime */
	__u64 rt_picked;   /* what it was when the task was picked (fair
			    * class), else rt: nothing of the slice known */
	__u32 pid;         /* the running task, 0 for idle */
	__u32 tgid;
	__u32 wanted;      /* passes the filter (idle always does) */
	__u32 read;        /* the task was read; 0: only the slot was */
};

#endif

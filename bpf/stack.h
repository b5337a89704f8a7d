/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of the stack probe: samples counted by process and
 * stack pair; the stacks themselves in a stack-trace map, by id. */
#ifndef EBTOP_STACK_H
#define EBTOP_STACK_H

#define STACK_DEPTH 127         /* frames kept per stack (the kernel's cap) */
#define STACK_KEYS 16384        /* (process, stacks) pairs per interval */
#define STACK_IDS 16384         /* distinct stacks per interval */
#define STACK_COMM_LEN 16
/* samples per second per CPU: off the kernel's 100 and 1000 Hz ticks, so
 * sampling does not run in step with timer-driven work */
#define STACK_HZ_DEFAULT 49
#define STACK_HZ_MAX 1000
#define OFF_SLEEPERS 16384      /* tasks asleep at once that are followed */
/* off-CPU, the shortest block counted: shorter ones are the many brief
 * waits of busy code, cheap by themselves; skipping them keeps the map
 * small and the program's work to a lookup */
#define STACK_OFFCPU_MIN_US_DEFAULT 1000

/* An id below 0 is bpf_get_stackid's error: -EFAULT (no user stack: a
 * kernel thread), -EEXIST (its bucket held another stack: lost). */
struct stack_key {
	__u32 tgid;
	__s32 user;
	__s32 kernel;
	__u32 pad;
};

/* A task that went to sleep: when, and where (its stack ids). */
struct off_start {
	__u64 ts;
	__s32 user;
	__s32 kernel;
};

/* count: samples on-CPU, nanoseconds blocked off-CPU */
struct stack_val {
	__u64 count;
	char comm[STACK_COMM_LEN];
};

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The cpu pane's part of bpf/sched.bpf.c.
 *
 * On-CPU time per process from sched_switch: at each switch, prev's share
 * is what the kernel's own clock of it (se.sum_exec_runtime, what
 * /proc/PID/schedstat and top show) gained since ebtop last accounted it,
 * and next opens the CPU's slice in progress. Diffing each task's own
 * counter, not a per-CPU start time, means a switch this program does not
 * see cannot move one task's time to another: on the kernel ebtop is
 * tested on, some switches away from one process's threads never reach
 * the tracepoint. The idle tasks have no such counter: theirs is the wall
 * time between switches. cpu_now, run by userspace at each read,
 * reports the task each CPU runs, its switch-in seen or not. */
#ifndef EBTOP_CPU_BPF_H
#define EBTOP_CPU_BPF_H

#include "common.bpf.h"
#include "changed.bpf.h"
#include "cpu.h"

#define PF_EXITING 0x00000004

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CPU_MAX_PROCS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct cpu_proc);
} cpu_procs SEC(".maps");

struct touched_ring cpu_touched;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_running);
} running SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_now);
} now SEC(".maps");

/* Tests only: switches away from this process's threads are not seen, as
 * some kernels never show sched_switch for some switches (the cpu pane
 * must still charge them right). */
const volatile __u32 unseen_tgid = 0;
/* possible CPUs, set before load: the slots cpu_now reads */
const volatile __u32 nr_cpus = 1;

/* What the process is, read at its first switch of each interval only:
 * it seldom changes, and that is when userspace reads it. Probe reads,
 * not typed loads, even where t is typed: the verifier looks every
 * pointer loaded from a trusted one up by name in the kernel's BTF, and
 * this chain of them, checked on each of its paths, was most of the
 * program's load time. */
static __always_inline void proc_fill(struct cpu_proc *p, struct task_struct *t)
{
	p->cgroup_id = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn, id);
	p->uid = BPF_CORE_READ(t, real_cred, uid.val);
	p->nr_threads = BPF_CORE_READ(t, signal, nr_threads);
	bpf_probe_read_kernel_str(p->comm, sizeof(p->comm), BPF_CORE_READ(t, group_leader, comm));
}

static __always_inline void account(struct task_struct *t, __u32 tgid, __u64 delta, bool typed)
{
	struct cpu_proc *p = bpf_map_lookup_elem(&cpu_procs, &tgid);

	if (!p) {
		/* an epoch no interval has: filled and pushed below */
		struct cpu_proc fresh = { .epoch = ~0u };

		/* A dying task's last switch must not recreate the entry
		 * userspace is about to remove. */
		if (TASK_RD(typed, t, flags) & PF_EXITING)
			return;
		bpf_map_update_elem(&cpu_procs, &tgid, &fresh, BPF_NOEXIST);
		p = bpf_map_lookup_elem(&cpu_procs, &tgid);
		if (!p) /* full: CPU_MAX_PROCS live processes */
			return;
	}
	__sync_fetch_and_add(&p->oncpu_ns, delta);
	if (p->epoch != cpu_touched.epoch) /* the interval's first: touch stamps it */
		proc_fill(p, t);
	touch(&cpu_touched, &p->epoch, tgid);
}

#define SCHED_NORMAL 0
#define SCHED_BATCH 3
#define SCHED_IDLE 5

static __always_inline bool fair(unsigned int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH || policy == SCHED_IDLE;
}

/* Where the slice prev ends began, in its runtime: the CPU's slot has it
 * if the switch-in was seen (own_slot), else the fair class's own record
 * (set when the task was picked), else (a real-time task) nothing of it
 * is known. */
static __always_inline __u64 slice_began(struct task_struct *prev, struct cpu_running *run,
					 bool own_slot, __u64 rt)
{
	if (own_slot)
		return run->rt_start;
	/* probe reads: a task's first switch only, and a plain load here
	 * would share an instruction with the map value's (the verifier
	 * refuses one load from two kinds of pointer) */
	if (fair(BPF_CORE_READ(prev, policy)))
		return BPF_CORE_READ(prev, se.prev_sum_exec_runtime);
	return rt;
}

/* What prev ran since ebtop last accounted it (*last: its runtime then,
 * 0 before that, in prev's task storage); a task met for the first time,
 * since this slice began. */
static __always_inline __u64 ran(struct task_struct *prev, __u64 *last, struct cpu_running *run,
				 bool own_slot)
{
	__u64 rt = prev->se.sum_exec_runtime, since;

	if (!last) /* out of memory: no time rather than time from nowhere */
		return 0;
	since = *last ? *last : slice_began(prev, run, own_slot, rt);
	*last = rt;
	return rt > since ? rt - since : 0;
}

/* At a switch, with prev's accounted runtime (NULL for the idle task or
 * out of memory) and whether next passes the filter (the idle task always
 * does: it is what the percentages add up against). Sets *prev_wanted when
 * the CPU's slot says whether prev passed it, so the runq part need not
 * ask again. prev is typed in both programs (raw_tp passes current); next
 * in tp_btf only. */
static __always_inline void cpu_switch(struct task_struct *prev, struct task_struct *next,
				       bool typed, __u64 *last, bool next_wanted, int *prev_wanted)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 zero = 0, pid = prev->pid;
	struct cpu_running *run = bpf_map_lookup_elem(&running, &zero);

	if (!run || (unseen_tgid && prev->tgid == unseen_tgid))
		return;
	if (!pid) {
		/* The idle task: wall time since the CPU's last seen switch. If
		 * the switch to idle was not seen, that includes the slot's
		 * task's last run (counted for it too, from its runtime); such
		 * runs are short here, idle stretches are not. */
		if (run->start_ns)
			run->idle_ns += now - run->start_ns;
	} else {
		/* the slot is prev's own if its switch-in was seen */
		bool own_slot = run->start_ns && run->pid == pid;
		__u64 ns = ran(prev, last, run, own_slot);

		if (own_slot)
			*prev_wanted = run->wanted;
		if (ns && (own_slot ? run->wanted : task_wanted(prev)))
			account(prev, prev->tgid, ns, true);
	}
	run->start_ns = now;
	run->pid = TASK_RD(typed, next, pid);
	run->tgid = TASK_RD(typed, next, tgid);
	run->rt_start = TASK_RD(typed, next, se.sum_exec_runtime);
	run->wanted = next_wanted;
	if (!run->rq)
		run->rq = rq_of(prev);
}

/* For each CPU, its slot, then the task its run queue has running, read
 * from here (BPF_PROG_RUN by userspace) without disturbing that CPU. */
static long read_cpu(__u64 c, void *ctx)
{
	__u32 zero = 0;
	struct cpu_running *run = bpf_map_lookup_percpu_elem(&running, &zero, c);
	struct cpu_now *out = bpf_map_lookup_percpu_elem(&now, &zero, c);
	struct rq *rq;
	struct task_struct *t;

	if (!run || !out)
		return 0;
	out->slot = *run;
	out->read = 0;
	rq = (struct rq *)run->rq;
	if (!rq || BPF_CORE_READ(rq, cpu) != c)
		return 0;
	t = BPF_CORE_READ(rq, curr);
	out->pid = BPF_CORE_READ(t, pid);
	out->tgid = BPF_CORE_READ(t, tgid);
	out->rt = BPF_CORE_READ(t, se.sum_exec_runtime);
	out->rt_picked = out->pid && fair(BPF_CORE_READ(t, policy)) ?
				 BPF_CORE_READ(t, se.prev_sum_exec_runtime) : out->rt;
	out->wanted = out->tgid == 0 || task_wanted(t);
	/* A task is not freed while it is a CPU's curr: if it still is,
	 * what was read is its own. */
	out->read = BPF_CORE_READ(rq, curr) == t;
	/* A process gets its entry at its first switch away seen; one still
	 * in its first slice gets it here, so its slice in progress has a
	 * row to go to (else a new spinner alone on a CPU showed nothing,
	 * then everything since its start in one interval). */
	if (out->read && out->tgid && out->wanted)
		account(t, out->tgid, 0, false);
	return 0;
}

#endif

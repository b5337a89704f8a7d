// SPDX-License-Identifier: GPL-2.0
/* On-CPU time per process from sched_switch: each switch closes the slice of
 * prev and opens one for next. tp_btf where BTF allows, raw_tp otherwise;
 * both wrappers call the same helpers. */
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

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_running);
} running SEC(".maps");

static __always_inline void proc_fill(struct cpu_proc *p, struct task_struct *t)
{
	p->cgroup_id = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn, id);
	p->uid = BPF_CORE_READ(t, real_cred, uid.val);
	p->nr_threads = BPF_CORE_READ(t, signal, nr_threads);
	bpf_probe_read_kernel_str(p->comm, sizeof(p->comm), &t->group_leader->comm);
}

static __always_inline void account(struct task_struct *t, __u32 tgid, __u64 delta)
{
	struct cpu_proc *p = bpf_map_lookup_elem(&cpu_procs, &tgid);

	if (!p) {
		struct cpu_proc fresh = {};

		/* A dying task's last switch must not recreate the entry
		 * userspace is about to remove. */
		if (tgid && (BPF_CORE_READ(t, flags) & PF_EXITING))
			return;
		bpf_map_update_elem(&cpu_procs, &tgid, &fresh, BPF_NOEXIST);
		p = bpf_map_lookup_elem(&cpu_procs, &tgid);
		if (!p) /* full: CPU_MAX_PROCS live processes */
			return;
	}
	__sync_fetch_and_add(&p->oncpu_ns, delta);
	if (tgid)
		proc_fill(p, t);
	else
		__builtin_memcpy(p->comm, "[idle]", 7);
	touch(&p->epoch, tgid);
}

static __always_inline int on_switch(struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 zero = 0;
	struct cpu_running *run = bpf_map_lookup_elem(&running, &zero);

	if (!run)
		return 0;
	if (run->start_ns && run->wanted)
		account(prev, BPF_CORE_READ(prev, tgid), now - run->start_ns);
	run->start_ns = now;
	run->tgid = BPF_CORE_READ(next, tgid);
	/* idle is always accounted: it is what the percentages add up against */
	run->wanted = run->tgid == 0 || task_wanted(next);
	return 0;
}

static __always_inline int on_exit(struct task_struct *t)
{
	return MARK_EXITED(cpu_procs, struct cpu_proc, t);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(cpu_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(prev, next);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(cpu_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	/* prev is an untyped pointer here; the switch runs as prev, so
	 * current is the same task with a type the verifier trusts */
	return on_switch(bpf_get_current_task_btf(), next);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(cpu_exit_btf, struct task_struct *t)
{
	return on_exit(t);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(cpu_exit_raw, struct task_struct *t)
{
	return on_exit(t);
}

// SPDX-License-Identifier: GPL-2.0
/* The scheduler's events, one program each for the cpu pane
 * (bpf/cpu.bpf.h) and the runq pane (bpf/runq.bpf.h). sched_switch is the
 * hottest tracepoint ebtop attaches to: one program for both panes pays
 * one run, one task-storage lookup and one filter decision per switch;
 * a program each would pay two of each. A part that is off
 * (cpu_on, runq_on: fixed at load) is dropped by the verifier, so a
 * kernel that refuses one part can still load the other alone.
 * tp_btf where BTF allows, raw_tp otherwise; both wrappers call the same
 * helpers. */
#include "cpu.bpf.h"
#include "runq.bpf.h"

const volatile bool cpu_on = true;
const volatile bool runq_on = true;

/* per task: what each part saw of it at its last switch-out */
struct sched_task {
	__u64 accounted;       /* cpu: its sum_exec_runtime, 0 before that */
	struct seen seen;      /* runq: its sched_info */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sched_task);
} tasks SEC(".maps");

/* The order keeps the verifier's work to the sum of the parts', not their
 * product: blame, with its loop, is checked before the other parts split
 * the paths in two (task storage or none, prev's filter known or not). */
static __always_inline int on_switch(struct task_struct *prev, struct task_struct *next, bool typed)
{
	struct sched_task *st = NULL;
	bool next_wanted = !TASK_RD(typed, next, pid) || task_wanted(next);
	int prev_wanted = -1; /* not known yet */

	if (runq_on)
		blame(prev, next, typed, next_wanted);
	if (prev->pid)
		st = bpf_task_storage_get(&tasks, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (cpu_on)
		cpu_switch(prev, next, typed, st ? &st->accounted : NULL, next_wanted, &prev_wanted);
	if (runq_on && prev->pid)
		runq_switch_out(prev, st ? &st->seen : NULL, prev_wanted);
	return 0;
}

static __always_inline int on_exit(struct task_struct *t)
{
	__u32 tgid;

	if (!group_dead(t))
		return 0;
	tgid = BPF_CORE_READ(t, tgid);
	if (cpu_on)
		MARK_TGID_EXITED(cpu_touched, cpu_procs, struct cpu_proc, tgid);
	if (runq_on)
		MARK_TGID_EXITED(runq_touched, runq_procs, struct runq_proc, tgid);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(prev, next, true);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(sched_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	/* prev is an untyped pointer here; the switch runs as prev, so
	 * current is the same task with a type the verifier trusts */
	return on_switch(bpf_get_current_task_btf(), next, false);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_exit_btf, struct task_struct *t)
{
	return on_exit(t);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(sched_exit_raw, struct task_struct *t)
{
	return on_exit(t);
}

/* Loaded only where the runq part is on (probes/sched.c). */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_exec_btf, struct task_struct *t, pid_t old_pid, struct linux_binprm *bprm)
{
	runq_exec(t);
	return 0;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(sched_exec_raw, struct task_struct *t, pid_t old_pid, struct linux_binprm *bprm)
{
	runq_exec(t);
	return 0;
}

/* Run by the cpu probe at each read (BPF_PROG_RUN): what each CPU runs. */
SEC("syscall")
int cpu_now(void *ctx)
{
	bpf_loop(nr_cpus, read_cpu, NULL, 0);
	return 0;
}

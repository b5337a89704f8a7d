// SPDX-License-Identifier: GPL-2.0
/* The PID filter follows forks: a process started by a filtered process is
 * added to the filter set, so filtering a service shows what it spawns. */
#include "common.bpf.h"

static __always_inline int on_fork(struct task_struct *parent, struct task_struct *child)
{
	struct filter_cfg *cfg = filter_get();
	__u32 ptgid, ctgid;
	__u8 one = 1;

	if (!cfg || !cfg->pids_on)
		return 0;
	ptgid = BPF_CORE_READ(parent, tgid);
	ctgid = BPF_CORE_READ(child, tgid);
	if (ptgid != ctgid && bpf_map_lookup_elem(&filter_pids, &ptgid))
		bpf_map_update_elem(&filter_pids, &ctgid, &one, BPF_ANY);
	return 0;
}

/* Exited processes leave the set, keeping it bounded under churn. */
static __always_inline int on_exit(struct task_struct *t)
{
	struct filter_cfg *cfg = filter_get();
	__u32 tgid;

	if (!cfg || !cfg->pids_on || !group_dead(t))
		return 0;
	tgid = BPF_CORE_READ(t, tgid);
	bpf_map_delete_elem(&filter_pids, &tgid);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(filter_fork_btf, struct task_struct *parent, struct task_struct *child)
{
	return on_fork(parent, child);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(filter_fork_raw, struct task_struct *parent, struct task_struct *child)
{
	return on_fork(parent, child);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(filter_exit_btf, struct task_struct *t)
{
	return on_exit(t);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(filter_exit_raw, struct task_struct *t)
{
	return on_exit(t);
}

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

/* Exited processes leave the set, keeping it bounded under churn. Not at
 * sched_process_exit: the process's files close after it (the close of
 * each of its TCP connections among them) and its last switch away comes
 * later still, and both are its own events. The group leader's task is
 * freed once the whole group is gone. */
static __always_inline int on_free(struct task_struct *t)
{
	struct filter_cfg *cfg = filter_get();
	__u32 tgid;

	if (!cfg || !cfg->pids_on)
		return 0;
	tgid = BPF_CORE_READ(t, tgid);
	if (BPF_CORE_READ(t, pid) == tgid)
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

SEC("tp_btf/sched_process_free")
int BPF_PROG(filter_free_btf, struct task_struct *t)
{
	return on_free(t);
}

SEC("raw_tp/sched_process_free")
int BPF_PROG(filter_free_raw, struct task_struct *t)
{
	return on_free(t);
}

/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by every ebtop BPF program: the filter check and the
 * filter maps. Userspace creates the maps once (probes/filter.c) and every
 * object reuses them, so changing a filter is a map write, not a reload. */
#ifndef EBTOP_COMMON_BPF_H
#define EBTOP_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "filter_cfg.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct filter_cfg);
} filter_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILTER_MAX_PIDS);
	__type(key, __u32);
	__type(value, __u8);
} filter_pids SEC(".maps");

static __always_inline struct filter_cfg *filter_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&filter_cfg, &zero);
}

/* Walk from a default-hierarchy cgroup up to the root, looking for the
 * filter's cgroup: a match anywhere means "this cgroup or a descendant". */
static __always_inline bool cgroup_chain_has(struct cgroup *cg, __u64 want)
{
	for (int i = 0; i < FILTER_MAX_CGROUP_DEPTH && cg; i++) {
		if (BPF_CORE_READ(cg, kn, id) == want)
			return true;
		/* css is the first member of struct cgroup */
		cg = (struct cgroup *)BPF_CORE_READ(cg, self.parent);
	}
	return false;
}

static __always_inline bool cgroup_under(struct task_struct *t, __u64 want)
{
	return cgroup_chain_has(BPF_CORE_READ(t, cgroups, dfl_cgrp), want);
}

/* Does the filter let this task through? Callers pass the task being
 * measured (next, the wakee, the exec'ing task), never blindly current. */
static __always_inline bool task_wanted(struct task_struct *t)
{
	struct filter_cfg *cfg = filter_get();

	if (!cfg)
		return true;
	if (cfg->pids_on) {
		__u32 tgid = BPF_CORE_READ(t, tgid);

		if (!bpf_map_lookup_elem(&filter_pids, &tgid))
			return false;
	}
	if (cfg->cgroup_on && !cgroup_under(t, cfg->cgroup_id))
		return false;
	return true;
}

/* The run queue of the CPU a task is on: its fair-class queue points back
 * to it (CONFIG_FAIR_GROUP_SCHED); 0 where that link is not there. The
 * symbol runqueues would be simpler, but kernels without KALLSYMS_ALL (as
 * the one ebtop is tested on) have no address for it. */
static __always_inline __u64 rq_of(struct task_struct *t)
{
	if (!bpf_core_field_exists(t->se.cfs_rq))
		return 0;
	return (__u64)BPF_CORE_READ(t, se.cfs_rq, rq);
}

/* A task's field: a plain load where the pointer is typed (tp_btf's
 * arguments, current), a probe read where it is not (raw_tp's, one read
 * from memory). typed is a constant at each call, so each program keeps
 * one of the two; a plain load costs a few ns, a probe read a helper
 * call, and the scheduler path makes several a switch. */
#define TASK_RD(typed, t, field) ((typed) ? (t)->field : BPF_CORE_READ(t, field))

/* A process is gone once its last thread has passed do_exit's group_dead
 * point; sched_process_exit fires after it. */
static __always_inline bool group_dead(struct task_struct *t)
{
	return BPF_CORE_READ(t, signal, live.counter) == 0;
}

#endif

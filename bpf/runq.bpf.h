/* SPDX-License-Identifier: GPL-2.0 */
/* The runq pane's part of bpf/sched.bpf.c.
 *
 * Run-queue latency without a wakeup hook or a clock read: when a task
 * leaves the CPU, the kernel has already added its last wait (from wakeup,
 * or from preemption while runnable, until it ran) to sched_info.run_delay
 * and counted the run in pcount. The difference from what we saw at its
 * previous switch-out is exactly one wait.
 *
 * Who made it wait: when a task gets the CPU, its wait began at
 * sched_info.last_queued (in the run queue's clock); the CPU's last runs
 * (bpf/runq.h) say who held it since then, and each is charged its share.
 * The idle task's share is nobody's: the CPU was free, the wait was the
 * wakeup's own latency. */
#ifndef EBTOP_RUNQ_BPF_H
#define EBTOP_RUNQ_BPF_H

#include "common.bpf.h"
#include "changed.bpf.h"
#include "runq.h"
#include "buckets.bpf.h"

/* A task's sched_info at its last switch-out seen, in its task storage. */
struct seen {
	__u64 run_delay;
	__u64 pcount;
};

struct touched_ring runq_touched;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, HIST_BUCKETS + 1); /* + RUNQ_SUM_KEY */
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

/* Longest wait (ns) since userspace last cleared it, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} max_ns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RUNQ_MAX_PROCS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct runq_proc);
} runq_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct runq_cpu);
} cpu_runs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RUNQ_MAX_PAIRS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct runq_pair_key);
	__type(value, struct runq_pair);
} delays SEC(".maps");

/* A wait this long or longer is slow (--runq-slow), set before load. */
const volatile __u64 slow_ns = 1000000;
/* Pairs that could not be made: the map was full. */
__u64 pairs_lost;

/* Test-only: every sample's (tgid, ns), to check percentiles against the
 * exact ones. Fixed at load, so when off the verifier drops the branch
 * and the scheduler path carries no test code. */
const volatile bool samples_on = false;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} samples SEC(".maps");

static __always_inline void record(struct task_struct *t, __u32 tgid, __u64 ns)
{
	__u32 idx = loglin_bucket(ns / 1000), sum = RUNQ_SUM_KEY, zero = 0;
	struct runq_proc *p;
	__u64 *v;

	v = bpf_map_lookup_elem(&hist, &idx);
	if (v)
		*v += 1;
	v = bpf_map_lookup_elem(&hist, &sum);
	if (v)
		*v += ns;
	v = bpf_map_lookup_elem(&max_ns, &zero);
	if (v && ns > *v)
		*v = ns;
	p = bpf_map_lookup_elem(&runq_procs, &tgid);
	if (!p) {
		static const struct runq_proc fresh;

		bpf_map_update_elem(&runq_procs, &tgid, &fresh, BPF_NOEXIST);
		p = bpf_map_lookup_elem(&runq_procs, &tgid);
		if (p) {
			bpf_probe_read_kernel_str(p->comm, sizeof(p->comm),
						  BPF_CORE_READ(t, group_leader, comm));
			/* a dying task's last switch-out comes after
			 * sched_process_exit marked (or userspace removed) its
			 * entry: one made now must be marked, or it would stay */
			if (group_dead(t))
				p->exited = 1;
		}
	}
	if (p) {
		__sync_fetch_and_add(&p->count, 1);
		if (ns >= slow_ns)
			__sync_fetch_and_add(&p->slow, 1);
		if (idx < HIST_BUCKETS)
			__sync_fetch_and_add(&p->bucket[idx], 1);
		touch(&runq_touched, &p->epoch, tgid);
	}
	if (samples_on) {
		__u64 s[2] = { tgid, ns };

		bpf_ringbuf_output(&samples, s, sizeof(s), 0);
	}
}

static __always_inline void leader_comm(char *comm, __u64 task)
{
	struct task_struct *t = (struct task_struct *)task;

	bpf_probe_read_kernel_str(comm, 16, BPF_CORE_READ(t, group_leader, comm));
}

/* share of a wait of wait_ns by victim to the run r. */
static __always_inline void charge(const struct runq_run *r, struct task_struct *victim,
				   __u32 victim_tgid, __u64 share, __u64 wait_ns)
{
	struct runq_pair_key key = { r->tgid, victim_tgid };
	struct runq_pair *e = bpf_map_lookup_elem(&delays, &key);
	__u32 ep = runq_touched.epoch, slot = ep & 1;

	if (!e) {
		struct runq_pair fresh = {};

		leader_comm(fresh.culprit_comm, r->task);
		leader_comm(fresh.victim_comm, (__u64)victim);
		if (bpf_map_update_elem(&delays, &key, &fresh, BPF_NOEXIST) == -7 /* E2BIG: full */)
			__sync_fetch_and_add(&pairs_lost, 1);
		e = bpf_map_lookup_elem(&delays, &key);
		if (!e)
			return;
	}
	__sync_fetch_and_add(&e->caused_ns, share);
	__sync_fetch_and_add(&e->waits, 1);
	if (e->worst_epoch[slot] != ep) {
		e->worst_epoch[slot] = ep;
		e->worst_ns[slot] = 0;
	}
	if (wait_ns > e->worst_ns[slot])
		e->worst_ns[slot] = wait_ns;
}

/* At a switch: prev's run joins the CPU's last runs, and next's wait, if
 * it waited and passes the filter, is shared out among them. prev is
 * typed in both programs (raw_tp passes current): its fields are plain
 * loads. */
static __always_inline void blame(struct task_struct *prev, struct task_struct *next, bool typed,
				  bool next_wanted)
{
	__u32 zero = 0, tgid;
	struct runq_cpu *c = bpf_map_lookup_elem(&cpu_runs, &zero);
	__u64 now, queued, from;
	struct rq *rq;

	if (!c)
		return;
	if (!c->rq)
		c->rq = prev->pid ? rq_of(prev) : rq_of(next);
	if (!c->rq)
		return;
	rq = (struct rq *)c->rq; /* a local: CO-RE relocates the kernel's type only */
	now = BPF_CORE_READ(rq, clock);
	if (c->since && now > c->since) {
		struct runq_run *r = &c->ring[c->head & (RUNQ_RUNS - 1)];

		r->start = c->since;
		r->end = now;
		r->task = (__u64)prev;
		r->tgid = prev->pid ? prev->tgid : 0;
		c->head++;
	}
	c->since = now;
	queued = TASK_RD(typed, next, sched_info.last_queued);
	if (!queued || queued >= now || !TASK_RD(typed, next, pid) || !next_wanted)
		return;
	tgid = TASK_RD(typed, next, tgid);
	from = queued;
	for (__u32 i = 0; i < RUNQ_RUNS; i++) {
		const struct runq_run *r = &c->ring[(c->head - 1 - i) & (RUNQ_RUNS - 1)];
		__u64 lo;

		if (!r->end || r->end <= from)
			break;
		lo = r->start > from ? r->start : from;
		if (r->tgid)
			charge(r, next, tgid, r->end - lo, now - queued);
		if (r->start <= from)
			break;
	}
}

/* At prev's switch-out (not the idle task's: it never waits), with what
 * was seen of it last time (NULL: out of memory) and whether it passes
 * the filter (-1: not known yet). */
static __always_inline void runq_switch_out(struct task_struct *prev, struct seen *s,
					    int prev_wanted)
{
	__u64 rd, pc;

	if (!s)
		return;
	rd = prev->sched_info.run_delay;
	pc = prev->sched_info.pcount;
	/* one run since we last looked: its wait is the run_delay increase */
	if (s->pcount && pc == s->pcount + 1 && rd >= s->run_delay &&
	    (prev_wanted < 0 ? task_wanted(prev) : prev_wanted))
		record(prev, prev->tgid, rd - s->run_delay);
	s->run_delay = rd;
	s->pcount = pc;
}

/* The entry's comm follows exec (rare, off the scheduler path), so the
 * per-process table names the program now running without reading /proc. */
static __always_inline void runq_exec(struct task_struct *t)
{
	__u32 tgid = BPF_CORE_READ(t, tgid);
	struct runq_proc *p = bpf_map_lookup_elem(&runq_procs, &tgid);

	if (p) {
		bpf_probe_read_kernel_str(p->comm, sizeof(p->comm), BPF_CORE_READ(t, group_leader, comm));
		touch(&runq_touched, &p->epoch, tgid);
	}
}

#endif

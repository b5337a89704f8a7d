// SPDX-License-Identifier: GPL-2.0
/* Stacks, in one of two modes (userspace attaches one or the other):
 * on-CPU, a software cpu-clock perf event on every CPU runs on_sample,
 * which counts the sample under (process, user stack, kernel stack) for
 * the processes the filter lets through; off-CPU, at sched_switch a task
 * leaving the CPU blocked (not runnable) is stamped with its stacks, and
 * when it is switched in again the time it was away is added to them if it
 * was at least offcpu_min_ns. Userspace reads and empties the counts each
 * refresh. */
#include "common.bpf.h"
#include "stack.h"

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, STACK_IDS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, STACK_KEYS);
	__type(key, struct stack_key);
	__type(value, struct stack_val);
} counts SEC(".maps");

/* Tasks asleep, by tid: LRU, so that tasks that never wake (or exit
 * asleep) make room for others. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, OFF_SLEEPERS);
	__type(key, __u32);
	__type(value, struct off_start);
} sleepers SEC(".maps");

const volatile __u64 offcpu_min_ns = STACK_OFFCPU_MIN_US_DEFAULT * 1000;

/* every sample (on-CPU) or counted block (off-CPU) of a wanted task, and
 * those no entry could take */
__u64 samples, lost;

static __always_inline struct stack_val *val_of(struct stack_key *key, const char *comm_src)
{
	struct stack_val *v = bpf_map_lookup_elem(&counts, key);

	if (!v) {
		struct stack_val fresh = {};

		bpf_probe_read_kernel_str(fresh.comm, sizeof(fresh.comm), comm_src);
		bpf_map_update_elem(&counts, key, &fresh, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&counts, key);
		if (!v)
			__sync_fetch_and_add(&lost, 1);
	}
	return v;
}

SEC("perf_event")
int on_sample(struct bpf_perf_event_data *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct stack_key key = {};
	struct stack_val *v;

	key.tgid = t->tgid;
	if (!key.tgid || !task_wanted(t)) /* 0: the idle task */
		return 0;
	__sync_fetch_and_add(&samples, 1);
	key.user = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	key.kernel = bpf_get_stackid(ctx, &stacks, 0);
	v = val_of(&key, t->comm);
	if (v)
		__sync_fetch_and_add(&v->count, 1);
	return 0;
}

/* the task's scheduler state: 0 is runnable (preempted, not blocked) */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

static __always_inline long task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___pre514 *)t, state);
}

/* prev is current here: its stacks are the ones bpf_get_stackid takes */
static __always_inline int off_switch(void *ctx, struct task_struct *prev, struct task_struct *next)
{
	__u32 tid = BPF_CORE_READ(prev, pid), ntid = BPF_CORE_READ(next, pid);
	struct off_start *s;
	__u64 now = bpf_ktime_get_ns();

	if (tid && task_state(prev) != 0 && task_wanted(prev)) {
		struct off_start st = { .ts = now };

		st.user = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
		st.kernel = bpf_get_stackid(ctx, &stacks, 0);
		bpf_map_update_elem(&sleepers, &tid, &st, BPF_ANY);
	}
	s = ntid ? bpf_map_lookup_elem(&sleepers, &ntid) : NULL;
	if (s) {
		__u64 away = now - s->ts;
		struct stack_key key = { .user = s->user, .kernel = s->kernel };
		struct stack_val *v;

		key.tgid = BPF_CORE_READ(next, tgid);
		bpf_map_delete_elem(&sleepers, &ntid);
		if (away < offcpu_min_ns)
			return 0;
		__sync_fetch_and_add(&samples, 1);
		v = val_of(&key, next->comm);
		if (v)
			__sync_fetch_and_add(&v->count, away);
	}
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(off_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return off_switch(ctx, prev, next);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(off_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return off_switch(ctx, prev, next);
}

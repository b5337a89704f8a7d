// SPDX-License-Identifier: GPL-2.0
/* Syscall counts on the hottest path in the kernel: sys_exit alone gives the
 * number (from the saved registers) and the result, so counting costs one
 * program and no clock read. Per-CPU storage, no locks, no ring buffer.
 * Latency (sys_enter + a timestamp per task) is attached only on request. */
#include "common.bpf.h"
#include "changed.bpf.h"
#include "sys.h"

struct touched_ring sys_touched;

/* The saved register that holds the syscall number (the kernel's own
 * syscall_get_nr reads it); the Makefile builds only for these arches. */
#if defined(__TARGET_ARCH_x86)
#define SYSCALL_NR_REG orig_ax
#elif defined(__TARGET_ARCH_arm64)
#define SYSCALL_NR_REG syscallno
#else
#error "the syscall number's register is not known for this arch"
#endif

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SYS_NR_MAX);
	__type(key, __u32);
	__type(value, struct sys_stat);
} per_nr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SYS_NR_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lat_max SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SYS_MAX_PROCS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct sys_proc);
} sys_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sys_last);
} sys_last SEC(".maps");

/* Syscall entry time per task, for latency. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} entered SEC(".maps");

/* Set before load: latency costs a task storage lookup on every exit. */
const volatile bool with_latency = false;
/* this architecture's execve and execveat numbers, from userspace */
const volatile long nr_execve = -1, nr_execveat = -1;

static __always_inline void add(struct sys_stat *st, long ret, __u64 lat)
{
	st->count++;
	if (ret < 0)
		st->errors++;
	if (with_latency) /* else lat is 0: no add at all */
		st->lat_ns += lat;
}

/* The slot's counts into their process's entry (none: it exited and was
 * reported, and its last calls were read from the slot). */
static __always_inline void flush(struct sys_last *last)
{
	__u32 old = last->tgid;
	struct sys_proc *p;

	if (old && (last->count || last->errors) && (p = bpf_map_lookup_elem(&sys_procs, &old))) {
		p->count += last->count;
		p->errors += last->errors;
		touch(&sys_touched, &p->epoch, old);
	}
	last->tgid = 0;
	last->count = last->errors = 0;
}

/* nr comes from the saved registers: a plain load under tp_btf, a probe
 * read under raw_tp. */
static __always_inline int on_exit(__u32 nr, long ret)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u32 tgid = t->tgid; /* a trusted pointer: a load, not a helper call */
	__u64 born;
	struct sys_stat *st;
	struct sys_proc *p;
	struct sys_last *last;
	__u64 lat = 0, *start;
	__u32 zero = 0;
	bool exec;

	if (!task_wanted(t))
		return 0;
	start = with_latency ? bpf_task_storage_get(&entered, t, 0, 0) : NULL;
	if (start && *start) {
		lat = bpf_ktime_get_ns() - *start;
		*start = 0;
	}
	if (nr < SYS_NR_MAX) {
		st = bpf_map_lookup_elem(&per_nr, &nr);
		if (st)
			add(st, ret, lat);
		if (lat) {
			__u64 *max = bpf_map_lookup_elem(&lat_max, &nr);

			if (max && lat > *max)
				*max = lat;
		}
	}
	/* most calls come from the process that made the last one on this
	 * CPU: a plain add to this CPU's slot, no hash lookup */
	last = bpf_map_lookup_elem(&sys_last, &zero);
	if (!last)
		return 0;
	born = t->group_leader->start_time; /* with tgid, a process; read past the filter */
	exec = ret == 0 && (nr == nr_execve || nr == nr_execveat);
	if (last->tgid == tgid && last->start == born && !exec) {
		last->count++;
		if (ret < 0)
			last->errors++;
		return 0;
	}
	/* another process: the slot's counts go to their entry, the slot
	 * to this one; seq odd meanwhile, for the reader */
	last->seq++;
	barrier();
	flush(last);
	last->tgid = tgid;
	last->start = born;
	p = bpf_map_lookup_elem(&sys_procs, &tgid);
	if (!p) {
		struct sys_proc fresh = {};

		bpf_get_current_comm(fresh.comm, sizeof(fresh.comm));
		fresh.comm_ns = bpf_ktime_get_ns();
		bpf_map_update_elem(&sys_procs, &tgid, &fresh, BPF_NOEXIST);
		p = bpf_map_lookup_elem(&sys_procs, &tgid);
	} else if (exec) {
		/* a new image, a new comm; rare, so the clock read is cheap */
		bpf_get_current_comm(p->comm, sizeof(p->comm));
		p->comm_ns = bpf_ktime_get_ns();
	}
	if (p) {
		p->count++;
		if (ret < 0)
			p->errors++;
		touch(&sys_touched, &p->epoch, tgid);
	} else {
		last->tgid = 0; /* the map is full: nowhere to move counts to */
	}
	barrier();
	last->seq++;
	return 0;
}

static __always_inline int on_enter(void)
{
	struct task_struct *t = bpf_get_current_task_btf();
	__u64 *start = bpf_task_storage_get(&entered, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (start)
		*start = bpf_ktime_get_ns();
	return 0;
}

/* At the end of a process this CPU's slot gives its counts back, so the
 * report of the exit has them (other CPUs' slots are read with it). */
static __always_inline int on_proc_exit(struct task_struct *t)
{
	__u32 zero = 0, tgid = BPF_CORE_READ(t, tgid);
	struct sys_last *last = bpf_map_lookup_elem(&sys_last, &zero);

	if (last && last->tgid == tgid && group_dead(t)) {
		last->seq++;
		barrier();
		flush(last);
		barrier();
		last->seq++;
	}
	return MARK_EXITED(sys_touched, sys_procs, struct sys_proc, t);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_btf, struct pt_regs *regs, long ret)
{
	return on_exit(regs->SYSCALL_NR_REG, ret); /* a plain load: BTF says regs is safe */
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	return on_exit(BPF_CORE_READ(regs, SYSCALL_NR_REG), ret);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_btf, struct pt_regs *regs, long id)
{
	return on_enter();
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	return on_enter();
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sys_pexit_btf, struct task_struct *t)
{
	return on_proc_exit(t);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(sys_pexit_raw, struct task_struct *t)
{
	return on_proc_exit(t);
}

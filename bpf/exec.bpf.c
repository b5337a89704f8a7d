// SPDX-License-Identifier: GPL-2.0
/* Every exec: sched_process_exec reports successful ones with argv from the
 * new image; the execve/execveat syscall tracepoints add failed ones, whose
 * argv is still in the caller's memory at syscall exit. Records go through
 * a ring buffer; a failed output is counted in `lost`. */
#include "common.bpf.h"
#include "events.bpf.h"
#include "exec.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 2 * 1024 * 1024); /* userspace may resize */
} events SEC(".maps");

/* Syscall entries waiting for their exit; LRU so a task killed mid-exec
 * cannot fill it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct exec_pending);
} exec_pending SEC(".maps");

/* Room to build a record: args has EXEC_ARGS_MAX bytes of slack behind it,
 * so a string read at any offset below EXEC_ARGS_MAX stays in bounds. */
struct scratch {
	struct exec_event e;
	char slack[EXEC_ARGS_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

static __always_inline struct exec_event *event_start(struct task_struct *t, int ret)
{
	__u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	struct exec_event *e;

	if (!s)
		return NULL;
	e = &s->e;
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = BPF_CORE_READ(t, tgid);
	e->ppid = BPF_CORE_READ(t, real_parent, tgid);
	e->uid = bpf_get_current_uid_gid();
	e->ret = ret;
	e->args_len = 0;
	e->truncated = 0;
	e->filename[0] = '\0';
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

static __always_inline void event_send(struct exec_event *e)
{
	__u64 size = offsetof(struct exec_event, args) + e->args_len;

	if (size > sizeof(*e))
		size = sizeof(*e);
	if (bpf_ringbuf_output(&events, e, size, wakeup_flags(&events)))
		count_lost();
}

static __always_inline int on_exec(struct task_struct *t, pid_t old_pid, struct linux_binprm *bprm)
{
	struct exec_event *e;
	struct mm_struct *mm;
	__u64 start, len;
	__u32 key = old_pid;

	bpf_map_delete_elem(&exec_pending, &key); /* the exit sees ret 0; nothing to keep */
	if (!task_wanted(t))
		return 0;
	e = event_start(t, 0);
	if (!e)
		return 0;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), BPF_CORE_READ(bprm, filename));
	mm = BPF_CORE_READ(t, mm);
	start = BPF_CORE_READ(mm, arg_start);
	len = BPF_CORE_READ(mm, arg_end) - start;
	if (len > EXEC_ARGS_MAX) {
		len = EXEC_ARGS_MAX;
		e->truncated = 1;
	}
	if (len && bpf_probe_read_user(e->args, len & (2 * EXEC_ARGS_MAX - 1), (void *)start) == 0)
		e->args_len = len;
	event_send(e);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_done_btf, struct task_struct *t, pid_t old_pid, struct linux_binprm *bprm)
{
	return on_exec(t, old_pid, bprm);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(exec_done_raw, struct task_struct *t, pid_t old_pid, struct linux_binprm *bprm)
{
	return on_exec(t, old_pid, bprm);
}

static __always_inline int enter(__u64 filename, __u64 argv)
{
	struct exec_pending p = { .filename = filename, .argv = argv };
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (!task_wanted(bpf_get_current_task_btf()))
		return 0;
	bpf_map_update_elem(&exec_pending, &tid, &p, BPF_ANY);
	return 0;
}

/* Where the walk of a failed exec's argv is: read by bpf_loop, whose
 * callback the verifier checks once, not once per unrolled entry. */
struct argv_walk {
	const char *const *argv;
	__u32 off;       /* bytes of args written */
	__u32 argc;      /* entries read whole */
	__u32 truncated;
};

static long read_arg(__u64 i, void *ctx)
{
	struct argv_walk *w = ctx;
	__u32 zero = 0;
	/* the event being written: this CPU's scratch (event_start's) */
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	const char *arg = NULL;
	long n;

	if (!s || i >= EXEC_MAX_ARGC || bpf_probe_read_user(&arg, sizeof(arg), &w->argv[i]) || !arg)
		return 1;
	if (w->off >= EXEC_ARGS_MAX) {
		w->truncated = 1;
		return 1;
	}
	n = bpf_probe_read_user_str(&s->e.args[w->off & (EXEC_ARGS_MAX - 1)], EXEC_ARGS_MAX, arg);
	if (n <= 0)
		return 1;
	w->off += n;
	w->argc = i + 1;
	return 0;
}

/* A failed exec: argv is read from the caller's memory, string by string. */
static __always_inline int leave(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_pending *p = bpf_map_lookup_elem(&exec_pending, &tid);
	struct argv_walk w = {};
	struct exec_event *e;
	__u32 off;

	if (!p)
		return 0;
	if (ret >= 0) {
		bpf_map_delete_elem(&exec_pending, &tid);
		return 0;
	}
	e = event_start(bpf_get_current_task_btf(), ret);
	if (!e)
		goto out;
	bpf_probe_read_user_str(e->filename, sizeof(e->filename), (void *)p->filename);
	w.argv = (const char *const *)p->argv;
	bpf_loop(EXEC_MAX_ARGC, read_arg, &w, 0);
	off = w.off;
	if (w.truncated || w.argc == EXEC_MAX_ARGC)
		e->truncated = 1;
	if (off > EXEC_ARGS_MAX) {
		off = EXEC_ARGS_MAX;
		e->truncated = 1;
	}
	e->args_len = off;
	event_send(e);
out:
	bpf_map_delete_elem(&exec_pending, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int exec_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[0], ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int execat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[1], ctx->args[2]);
}

/* execveat's exit too (probes/exec.c attaches it there): the two exits
 * have one format, and the verifier's time for the argv loop is spent
 * once */
SEC("tracepoint/syscalls/sys_exit_execve")
int exec_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx->ret);
}

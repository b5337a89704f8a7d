// SPDX-License-Identifier: GPL-2.0
/* The thread view's reading: one record per thread the filter keeps. */
#include "common.bpf.h"
#include "threads.h"

SEC("iter/task")
int dump_threads(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct thread_rec r;

	if (!t || !t->pid || !task_wanted(t))
		return 0;
	__builtin_memset(&r, 0, sizeof(r));
	r.start_ns = t->start_time;
	r.runtime_ns = t->se.sum_exec_runtime;
	r.run_delay_ns = t->sched_info.run_delay;
	r.pcount = t->sched_info.pcount;
	r.tid = t->pid;
	r.tgid = t->tgid;
	bpf_probe_read_kernel_str(r.comm, sizeof(r.comm), t->comm);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

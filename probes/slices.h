/* The cpu probe's slices in progress: what each CPU has run since the last
 * switch the probe saw, and, where another task is found running there
 * (the switch to that task was not seen), that task's slice since it was
 * picked. Arithmetic only, over the per-CPU reads of bpf/cpu.h, so
 * every sequence of seen and unseen switches can be tested. */
#ifndef EBTOP_SLICES_H
#define EBTOP_SLICES_H

#include <stdint.h>
#include <linux/types.h>
#include "bpf/cpu.h"

struct slice {
	uint32_t tgid;   /* 0: the idle tasks */
	uint64_t ns;
};

/* A thread's se.sum_exec_runtime now (procfs_runtime): 0 or -errno. */
typedef int (*runtime_fn)(uint32_t tgid, uint32_t tid, uint64_t *ns);

/* The slices in progress on the ncpus CPUs of cpus, read after now (the
 * clock of bpf_ktime_get_ns) was taken, into out (room for 2 per CPU);
 * returns their number. runtime is asked only for a slot's task that no
 * longer runs, or when what runs was not read (cpu_now). No slice is
 * more than the probe adds to the entries at the switches to come, so a
 * reading does not run ahead of them. */
int slices_in_progress(const struct cpu_now *cpus, int ncpus, uint64_t now, runtime_fn runtime,
		       struct slice *out);

#endif

#include <stdbool.h>
#include "probes/slices.h"

int slices_in_progress(const struct cpu_now *cpus, int ncpus, uint64_t now, runtime_fn runtime,
		       struct slice *out)
{
	int n = 0;

	for (int i = 0; i < ncpus; i++) {
		const struct cpu_now *c = &cpus[i];
		const struct cpu_running *s = &c->slot;
		/* without cpu_now's reading, the slot's task is taken to run */
		bool same = !c->read || c->pid == s->pid, idle = c->read ? !c->pid : !s->pid;
		uint64_t rt;

		/* a slice that began after now is left to its entry */
		if (!s->start_ns || s->start_ns >= now)
			continue;
		/* The slot's task, since its switch-in: its runtime is final
		 * if it no longer runs, and counted at its next switch seen. */
		if (s->pid && s->wanted) {
			if (same && c->read)
				rt = c->rt;
			else if (runtime(s->tgid, s->pid, &rt))
				rt = 0;
			if (rt > s->rt_start)
				out[n++] = (struct slice){ s->tgid, rt - s->rt_start };
		}
		/* Idle is counted at the next switch seen away from it, from the
		 * slot's start; a switch to idle that was not seen makes that
		 * include the slot task's last run, as the kernel side does.
		 * After a switch from idle that was not seen, the stretch is
		 * never counted, so nothing of it is here either. */
		if (idle)
			out[n++] = (struct slice){ 0, now - s->start_ns };
		else if (!same && c->wanted && c->rt > c->rt_picked)
			out[n++] = (struct slice){ c->tgid, c->rt - c->rt_picked };
	}
	return n;
}

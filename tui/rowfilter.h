/* The PID and cgroup filters of a replay: what the kernel does live, done
 * on a recorded snapshot's rows. A recording has rows, not the events
 * behind them, so what is a total of every process (the busy bar, the
 * syscall table, the heat map) stays as recorded; the runq histogram is
 * merged again from the processes kept, and the stacks' shares are of the
 * processes kept. */
#ifndef EBTOP_ROWFILTER_H
#define EBTOP_ROWFILTER_H

#include <stddef.h>
#include <stdint.h>
#include "probes/snapshot.h"

struct rowfilter {
	const uint32_t *pids;   /* npids 0: any */
	size_t npids;
	const char *cgroup;     /* NULL or "": any; else a path, see rowfilter_cgroup */
};

/* The cgroup text as the recorded rows spell it: below the cgroup2 mount,
 * with a leading '/', none trailing. "/sys/fs/cgroup/unified/a/b",
 * "/sys/fs/cgroup/a/b", "/a/b" and "a/b" all become "/a/b". */
void rowfilter_cgroup(const char *text, char *out, size_t len);
/* Drop the rows of processes the filter leaves out, in every pane. A
 * process's cgroup is known from the cpu pane's rows of the same frame. */
void rowfilter_apply(struct snapshot *s, const struct rowfilter *f);

#endif

/* The thread view's data (H, --threads): each thread's on-CPU time and
 * run-queue waits over the interval, from a task iterator read at each
 * collect (bpf/threads.h). Nothing runs in the kernel between reads. */
#ifndef EBTOP_THREADS_PROBE_H
#define EBTOP_THREADS_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include "probes/snapshot.h"

struct filter;
struct threads;

/* NULL with errno set and the reason in why when the kernel cannot. */
struct threads *threads_open(struct filter *f, char *why, size_t whylen);
/* Read every thread the filter keeps; with report, put the interval's
 * rows (by on-CPU time, largest first) in cs. The first read after an
 * open is a baseline. Returns 0 or -errno. */
int threads_read(struct threads *t, struct cpu_snap *cs, double interval_s, bool report);
/* A new filter: the next read is a baseline. */
void threads_reset(struct threads *t);
void threads_close(struct threads *t);

#endif

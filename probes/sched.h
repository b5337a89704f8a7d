/* The scheduler's object (bpf/sched.bpf.c), one for the cpu and runq
 * probes: sched_switch is the hottest tracepoint ebtop attaches to, and
 * one program serving both panes costs less than a program each. The
 * first of the two to start loads and attaches it with both parts on,
 * the last to stop destroys it. Where the kernel refuses the pair, each
 * probe loads an object of its own with its part alone, so one pane's
 * failure does not take the other's data. */
#ifndef EBTOP_SCHED_H
#define EBTOP_SCHED_H

#include <stddef.h>

struct probe_env;
struct sched_bpf;

enum sched_part { SCHED_CPU, SCHED_RUNQ };

/* The object with part on, loaded and attached; NULL with errno set and
 * the reason in why. Safe to call from two starts at once. */
struct sched_bpf *sched_get(const struct probe_env *env, enum sched_part part, char *why,
			    size_t whylen);
/* Done with what sched_get gave (NULL: nothing). */
void sched_put(struct sched_bpf *skel);

#endif

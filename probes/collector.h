/* The set of probes behind the panes: starts each one (a probe that fails
 * greys out only its own pane), collects them all once per refresh into one
 * snapshot, and owns the shared filter. */
#ifndef EBTOP_COLLECTOR_H
#define EBTOP_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "probes/snapshot.h"

struct collector;

struct collector_opts {
	bool sys_latency;
	uint64_t runq_slow_us;
	unsigned prof_hz;  /* stack samples per second per CPU (0: default) */
	bool prof;         /* headless: sample stacks too */
	bool offcpu;       /* stacks off-CPU from the start */
	uint64_t offcpu_min_us; /* off-CPU: the shortest block counted (0: default) */
};

struct collector *collector_new(const struct collector_opts *opts);
void collector_free(struct collector *c);
/* Non-zero when no probe at all could start; why says the first reason. */
int collector_all_failed(const struct collector *c, char *why, size_t len);
/* Fill s (zeroed by the caller) with the interval since the last call. */
int collector_collect(struct collector *c, struct snapshot *s);
/* Forget baselines: the next collect starts a new interval. */
void collector_reset(struct collector *c);
int collector_set_pids(struct collector *c, const uint32_t *pids, size_t n);
int collector_set_cgroup(struct collector *c, uint64_t id);
/* Event fds of the probes, one slot per probe (-1: none); returns slots. */
size_t collector_fds(const struct collector *c, int *fds, size_t max);
/* Consume the events behind slot idx now. */
void collector_drain(struct collector *c, size_t idx);
/* Attach the probes whose data is consumed: the pane on screen, or all of
 * them when headless. Non-zero when something changed, said in msg. */
/* Threads too, or no more (the cpu probe's); 0, or -1 with why set. */
int collector_set_threads(struct collector *c, bool on, char *why, size_t len);
/* A pane's data in another mode (stack: enum stack_mode); 0 or -1 with
 * the reason in why. */
int collector_set_mode(struct collector *c, int pane, int mode, char *why, size_t len);
int collector_set_view(struct collector *c, int pane, bool headless, char *msg, size_t len);
/* ebtop's own cost in each snapshot (s->self), or no more. */
void collector_set_self(struct collector *c, bool on);
/* Switch the kernel's BPF stats on for the collector's life: needs
 * CAP_SYS_ADMIN, so before privileges are dropped. 0 or -errno. */
int collector_self_stats(struct collector *c);
/* Why filters do not work, or NULL when they do. */
const char *collector_filter_error(const struct collector *c);

#endif

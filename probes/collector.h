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
int collector_set_view(struct collector *c, int pane, bool headless, char *msg, size_t len);
/* Why filters do not work, or NULL when they do. */
const char *collector_filter_error(const struct collector *c);

#endif

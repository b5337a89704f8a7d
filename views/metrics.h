/* The Prometheus view: counters that add up every interval's snapshot since
 * ebtop started, rendered in the Prometheus text format (0.0.4) or
 * OpenMetrics 1.0. Per-process series are bounded: only the top N processes
 * by recent activity are exposed, and exited processes are forgotten. */
#ifndef EBTOP_METRICS_H
#define EBTOP_METRICS_H

#include <stddef.h>
#include "probes/snapshot.h"

#define METRICS_TOP_DEFAULT 50
#define METRICS_TOP_MAX 10000

struct metrics;

enum metrics_format { METRICS_PROMETHEUS, METRICS_OPENMETRICS };

/* top: per-process series per family. NULL on ENOMEM. */
struct metrics *metrics_new(size_t top);
void metrics_free(struct metrics *m);
/* Add one interval (a baseline snapshot adds nothing but probe status). */
int metrics_add(struct metrics *m, const struct snapshot *s);
/* The exposition, malloc'd and NUL-terminated; its length in *len. */
char *metrics_render(const struct metrics *m, enum metrics_format f, size_t *len);
/* Content-Type of a format. */
const char *metrics_content_type(enum metrics_format f);

#endif

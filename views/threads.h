/* Threads instead of processes (H) in the cpu and runq panes: a row a
 * thread, with its process; and their part of a document, cpu.threads. */
#ifndef EBTOP_THREADS_VIEW_H
#define EBTOP_THREADS_VIEW_H

#include <cjson/cJSON.h>
#include "probes/snapshot.h"
#include "views/model.h"

/* The pane's model as threads: on-CPU time (cpu) or waits (runq). */
void threads_build(const struct snapshot *s, enum pane_id pane, struct pane_model *m);
/* cpu.threads, added to the cpu object o when threads were read. */
void threads_json(cJSON *o, const struct cpu_snap *c);
/* Back from a document's cpu object: 0 or -ENOMEM. */
int threads_parse(const cJSON *o, struct cpu_snap *c);

#endif

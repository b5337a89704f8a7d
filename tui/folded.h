/* --folded: the run's stacks added up, written at exit in the folded form
 * flamegraph.pl, inferno and speedscope read: "comm;root;...;leaf count",
 * one line per distinct stack. */
#ifndef EBTOP_FOLDED_H
#define EBTOP_FOLDED_H

#include "probes/snapshot.h"

struct folded;

struct folded *folded_new(void);
void folded_free(struct folded *f);
/* One interval's stacks; 0 or -ENOMEM. */
int folded_add(struct folded *f, const struct stack_snap *s);
/* Every stack so far, most sampled first; 0 or -errno. */
int folded_write(const struct folded *f, const char *path);

#endif

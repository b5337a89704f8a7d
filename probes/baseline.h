/* Interval diffs of cumulative kernel counters. The kernel only ever adds;
 * each collect reads the totals, takes the difference from the previous
 * reading, and keeps the new reading as the next baseline. Maps are never
 * drained by read-then-delete, so no count is lost between two reads. */
#ifndef EBTOP_BASELINE_H
#define EBTOP_BASELINE_H

#include <stddef.h>
#include <stdint.h>

struct total {
	uint64_t key;
	uint64_t value;
};

struct baseline {
	struct total *v;   /* sorted by key */
	size_t n;
	int valid;         /* 0 until the first commit, and after a reset */
};

/* The increase of key since the baseline. A key the baseline lacks is new
 * (all of now counts); a value that went down means the key was reused
 * (pid reuse, or the entry was recreated), so all of now counts too. */
uint64_t baseline_delta(const struct baseline *b, uint64_t key, uint64_t now);
/* Make now (n entries, taken over) the baseline; sorts it. */
void baseline_commit(struct baseline *b, struct total *now, size_t n);
void baseline_reset(struct baseline *b);
void baseline_free(struct baseline *b);

#endif

/* Interval diffs of cumulative kernel counters. The kernel only ever adds;
 * each collect reads the totals of the entries that changed, takes each
 * one's difference from the value kept for its key, and keeps the new one.
 * Maps are never drained by read-then-delete, so no count is lost between
 * two reads, and a key that did not change costs nothing. */
#ifndef EBTOP_BASELINE_H
#define EBTOP_BASELINE_H

#include <stddef.h>
#include <stdint.h>

/* An open-addressing table of key -> last value (linear probing). */
struct baseline {
	struct slot {
		uint64_t key;
		uint64_t value;
	} *slots;
	size_t cap;        /* a power of two, or 0 */
	size_t n;
	int valid;         /* 0 until the first complete read, and after a reset */
	int hold;          /* a value that went down is held (see baseline_step) */
};

/* The increase of key since its last step, and now kept as its value. A
 * key not seen before is new (all of now counts). A value that went down
 * means the key was reused (pid reuse, or the entry was recreated), so all
 * of now counts too; unless the table holds: then readings may run ahead
 * of the kernel's counter for a while (an estimate it will catch up with),
 * and a lower one counts nothing and keeps the higher value. Returns now,
 * unkept, if memory runs out. */
uint64_t baseline_step(struct baseline *b, uint64_t key, uint64_t now);
/* Drop a key (its process exited); a key not kept is ignored. */
void baseline_forget(struct baseline *b, uint64_t key);
/* Every key has been stepped once: from now on deltas are reportable. */
void baseline_complete(struct baseline *b);
/* The next read starts afresh: deltas are not reportable until complete. */
void baseline_reset(struct baseline *b);
void baseline_free(struct baseline *b);

#endif

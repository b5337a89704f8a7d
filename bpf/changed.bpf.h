/* SPDX-License-Identifier: GPL-2.0 */
/* Per-process maps read by what changed, not by walking every entry. The
 * first write to an entry in each epoch stamps it and pushes its key onto
 * a ring in .bss; before each read userspace advances the epoch and looks
 * up the keys pushed since the last read (probes/changed.c). On a box of
 * 10,000 sleepers a refresh then reads the few dozen processes that ran,
 * instead of 65,536 hash buckets, each behind a lock. Needs __u32 `epoch`
 * and `exited` in the entry, and a struct touched_ring per map. */
#ifndef EBTOP_CHANGED_BPF_H
#define EBTOP_CHANGED_BPF_H

#include "touched.h"

/* Call after the writes the entry is for. stamp is the entry's, or this
 * CPU's slot's in a per-CPU map (each CPU pushes on its own first write).
 * No write is left unread: a program that loaded the old epoch (and so
 * did not push, its entry having been pushed already) made its writes
 * before that load, and userspace advances the epoch with a full barrier
 * before it looks anything up, so either the program sees the new epoch
 * and pushes, or the lookup sees its writes (the store-buffer pattern,
 * fenced on both sides: userspace's seq_cst store, and the program's
 * atomic add or, for plain per-CPU adds, their drain long before a
 * lookup that comes microseconds later). */
static __always_inline void touch(struct touched_ring *r, __u32 *stamp, __u32 key)
{
	__u32 e;
	__u64 i;

	asm volatile("" ::: "memory"); /* the writes stay before the epoch load */
	e = r->epoch;
	if (*stamp == e)
		return;
	*stamp = e;
	i = __sync_fetch_and_add(&r->head, 1);
	/* one 8-byte store: the reader knows the slot is written when its
	 * sequence half matches */
	r->slots[i & (TOUCHED_SLOTS - 1)] = i << 32 | key;
}

/* At a process's exit, flag its entry in a per-process map (keyed by tgid,
 * value with an `exited` field); userspace reports it once more, then
 * deletes it, so no count is lost and the map stays bounded. */
#define MARK_EXITED(ring, map, type, t) \
	(group_dead(t) ? MARK_TGID_EXITED(ring, map, type, BPF_CORE_READ(t, tgid)) : 0)

/* The same, for a process already known to be gone. */
#define MARK_TGID_EXITED(ring, map, type, tgid)                      \
	({                                                          \
		__u32 tgid_ = (tgid);                               \
		type *e_ = bpf_map_lookup_elem(&(map), &tgid_);     \
		if (e_) {                                           \
			e_->exited = 1;                             \
			touch(&(ring), &e_->epoch, tgid_);          \
		}                                                   \
		0;                                                  \
	})

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of the touched ring: the keys of per-process
 * entries written since the last read (bpf/changed.bpf.h, probes/changed.c). */
#ifndef EBTOP_TOUCHED_H
#define EBTOP_TOUCHED_H

#define TOUCHED_SLOTS 16384 /* a power of two */

/* A slot: the low 32 bits of its push's sequence number, then the key. */
#define TOUCHED_SEQ(slot) ((__u32)((slot) >> 32))
#define TOUCHED_KEY(slot) ((__u32)(slot))

/* One per map read by what changed, in its object's .bss (mapped). */
struct touched_ring {
	__u32 epoch;                   /* advanced by userspace before each read */
	__u32 pad;
	__u64 head;                    /* pushes so far */
	__u64 slots[TOUCHED_SLOTS];    /* push i goes to slot i % TOUCHED_SLOTS */
};

#endif

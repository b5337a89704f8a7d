/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of the touched ring: the keys of per-process
 * entries written since the last read (bpf/changed.bpf.h, probes/changed.c). */
#ifndef EBTOP_TOUCHED_H
#define EBTOP_TOUCHED_H

#define TOUCHED_SLOTS 16384 /* a power of two */

/* A slot: the low 32 bits of its push's sequence number, then the key. */
#define TOUCHED_SEQ(slot) ((__u32)((slot) >> 32))
#define TOUCHED_KEY(slot) ((__u32)(slot))

#endif

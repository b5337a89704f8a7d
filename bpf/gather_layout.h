/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of the gatherer (bpf/gather.bpf.c, probes/gather.c):
 * userspace writes up to GATHER_KEYS u32 keys and their number into .bss,
 * runs the program once, and reads back, per key, whether it was found and
 * its value: at out[i * size], or for per-CPU maps CPU c's at
 * out[(i * ncpus + c) * size], the layout of a lookup syscall's. */
#ifndef EBTOP_GATHER_LAYOUT_H
#define EBTOP_GATHER_LAYOUT_H

#define GATHER_KEYS 4096
#define GATHER_BYTES (256 * 1024)  /* values of one run */
#define GATHER_VALUE_MAX 4096      /* the largest value gathered */

#endif

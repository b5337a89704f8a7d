/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of every latency histogram: log-linear buckets in
 * microseconds, 8 linear steps per power of two (so a percentile is within
 * 12.5%, not the factor of two of log2), up to 2^25 us (about 33 s). The
 * kernel side is bpf/buckets.bpf.h, the user side probes/histogram.c. */
#ifndef EBTOP_HIST_H
#define EBTOP_HIST_H

#define HIST_SUB_BITS 3
#define HIST_SUB (1 << HIST_SUB_BITS)
#define HIST_BUCKETS 192

#endif

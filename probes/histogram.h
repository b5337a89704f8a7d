/* Log-linear histogram math (the userspace twin of bpf/buckets.bpf.h):
 * 8 linear buckets per power of two, in microseconds. */
#ifndef EBTOP_BUCKETS_H
#define EBTOP_BUCKETS_H

#include <stdint.h>

#define HIST_SUB_BITS 3
#define HIST_SUB (1 << HIST_SUB_BITS)
#define HIST_BUCKETS 192

unsigned bucket_index(uint64_t us);
/* [low, high) of a bucket, in us. */
double bucket_low(unsigned idx);
double bucket_high(unsigned idx);
/* The p-th percentile (0..100) of a histogram, interpolated linearly inside
 * its bucket; 0 for an empty histogram. */
double hist_percentile(const uint64_t *counts, unsigned n, double p);

#endif

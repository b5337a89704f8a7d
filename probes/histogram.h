/* Log-linear histogram math (bpf/hist.h; the kernel side is
 * bpf/buckets.bpf.h): bucket index and bounds, percentiles, and folding
 * into powers of two for the heat map and the histogram bars. */
#ifndef EBTOP_HISTOGRAM_H
#define EBTOP_HISTOGRAM_H

#include <stdint.h>
#include "bpf/hist.h"

unsigned bucket_index(uint64_t us);
/* [low, high) of a bucket, in us. */
double bucket_low(unsigned idx);
double bucket_high(unsigned idx);
/* The p-th percentile (0..100) of a histogram, interpolated linearly inside
 * its bucket; 0 for an empty histogram. */
double hist_percentile(const uint64_t *counts, unsigned n, double p);
/* The power of two a bucket lies in: row r holds [2^r, 2^(r+1)) us, row 0
 * also 0 us; at most max_row (the rows above are folded into it). */
unsigned hist_pow2_row(unsigned idx, unsigned max_row);

#endif

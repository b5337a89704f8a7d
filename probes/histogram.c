#include "probes/histogram.h"

unsigned bucket_index(uint64_t us)
{
	unsigned b = 63 - __builtin_clzll(us | 1), idx;

	if (us < HIST_SUB)
		return us;
	idx = (b - HIST_SUB_BITS + 1) * HIST_SUB + ((us >> (b - HIST_SUB_BITS)) & (HIST_SUB - 1));
	return idx < HIST_BUCKETS ? idx : HIST_BUCKETS - 1;
}

double bucket_low(unsigned idx)
{
	unsigned b, sub;

	if (idx < HIST_SUB)
		return idx;
	b = idx / HIST_SUB + HIST_SUB_BITS - 1;
	sub = idx % HIST_SUB;
	return (double)(HIST_SUB + sub) * (1ull << (b - HIST_SUB_BITS));
}

double bucket_high(unsigned idx)
{
	unsigned b;

	if (idx < HIST_SUB)
		return idx + 1;
	b = idx / HIST_SUB + HIST_SUB_BITS - 1;
	return bucket_low(idx) + (double)(1ull << (b - HIST_SUB_BITS));
}

double hist_percentile(const uint64_t *counts, unsigned n, double p)
{
	uint64_t total = 0, seen = 0;
	double rank;

	for (unsigned i = 0; i < n; i++)
		total += counts[i];
	if (!total)
		return 0;
	rank = p / 100.0 * total;
	for (unsigned i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		if (seen + counts[i] >= rank) {
			double frac = (rank - seen) / counts[i];

			return bucket_low(i) + frac * (bucket_high(i) - bucket_low(i));
		}
		seen += counts[i];
	}
	return bucket_high(n - 1);
}

unsigned hist_pow2_row(unsigned idx, unsigned max_row)
{
	unsigned row = idx < HIST_SUB ? (unsigned)((idx > 1) + (idx > 3))
				      : idx / HIST_SUB + HIST_SUB_BITS - 1;

	return row < max_row ? row : max_row;
}

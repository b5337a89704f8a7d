/* SPDX-License-Identifier: GPL-2.0 */
/* Log-linear bucket index (bpf/hist.h); probes/histogram.c is the user side.
 * clang 14 cannot compile __builtin_clzll for BPF: bit-twiddle. */
#ifndef EBTOP_BUCKETS_BPF_H
#define EBTOP_BUCKETS_BPF_H

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xffff) << 4; v >>= shift; r |= shift;
	shift = (v > 0xff) << 3; v >>= shift; r |= shift;
	shift = (v > 0xf) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline __u32 loglin_bucket(__u64 v)
{
	__u32 b, idx;

	if (v < HIST_SUB)
		return v;
	b = log2_u64(v);
	idx = (b - HIST_SUB_BITS + 1) * HIST_SUB + ((v >> (b - HIST_SUB_BITS)) & (HIST_SUB - 1));
	return idx < HIST_BUCKETS ? idx : HIST_BUCKETS - 1;
}

#endif

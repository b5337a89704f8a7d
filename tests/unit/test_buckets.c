/* Log-linear buckets: index and bounds round-trip, the BPF twin agrees,
 * percentile interpolation, folding into powers of two. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <linux/types.h>

#include "bpf/runq.h"
#include "bpf/buckets.bpf.h"
#include "probes/histogram.h"

static void round_trip(void **state)
{
	(void)state;
	for (uint64_t us = 0; us < (1ull << 24); us = us < 64 ? us + 1 : us + us / 7 + 1) {
		unsigned i = bucket_index(us);

		if (!(bucket_low(i) <= us && us < bucket_high(i)))
			fail_msg("%llu us in bucket %u [%g, %g)", (unsigned long long)us, i,
				 bucket_low(i), bucket_high(i));
		/* the kernel side computes the same index */
		assert_int_equal(loglin_bucket(us), i);
		/* no bucket is wider than 1/8 of its lower bound (past the linear start) */
		if (us >= HIST_SUB)
			assert_true(bucket_high(i) - bucket_low(i) <= bucket_low(i) / HIST_SUB);
	}
	for (unsigned i = 0; i + 1 < HIST_BUCKETS; i++)
		assert_true(bucket_high(i) == bucket_low(i + 1)); /* contiguous */
	assert_int_equal(bucket_index(10000000), bucket_index(10000000)); /* 10 s fits */
	assert_true(bucket_index(10000000) < HIST_BUCKETS - 1);
}

static void percentiles(void **state)
{
	uint64_t h[HIST_BUCKETS] = { 0 };

	(void)state;
	assert_true(hist_percentile(h, HIST_BUCKETS, 50) == 0);
	h[bucket_index(100)] = 100; /* [96, 104) */
	assert_true(hist_percentile(h, HIST_BUCKETS, 50) == 100);  /* halfway through */
	assert_true(hist_percentile(h, HIST_BUCKETS, 100) == 104);
	h[bucket_index(5000)] = 100; /* [4608, 5120) */
	assert_true(hist_percentile(h, HIST_BUCKETS, 50) == 104);
	assert_true(hist_percentile(h, HIST_BUCKETS, 99) > 4608);
	assert_true(hist_percentile(h, HIST_BUCKETS, 99) < 5120);
}

static void pow2_rows(void **state)
{
	(void)state;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		unsigned r = hist_pow2_row(i, 63);
		double lo = r ? (double)(1ull << r) : 0, hi = (double)(1ull << (r + 1));

		if (!(lo <= bucket_low(i) && bucket_high(i) <= hi))
			fail_msg("bucket %u [%g, %g) not in row %u [%g, %g)", i, bucket_low(i),
				 bucket_high(i), r, lo, hi);
	}
	assert_int_equal(hist_pow2_row(HIST_BUCKETS - 1, 23), 23); /* the top row holds the rest */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(percentiles),
		cmocka_unit_test(pow2_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

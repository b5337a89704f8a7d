/* Interval diffs of cumulative counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "probes/baseline.h"

static void diffs(void **state)
{
	struct baseline b = { 0 };

	(void)state;
	assert_false(b.valid);
	assert_int_equal(baseline_step(&b, 10, 100), 100); /* nothing known yet */
	assert_int_equal(baseline_step(&b, 30, 500), 500);
	assert_int_equal(baseline_step(&b, 0, 7), 7);       /* pid 0 is a key like any */
	baseline_complete(&b);
	assert_true(b.valid);
	assert_int_equal(baseline_step(&b, 10, 150), 50);
	assert_int_equal(baseline_step(&b, 10, 150), 0);    /* kept: no change, no delta */
	assert_int_equal(baseline_step(&b, 0, 9), 2);
	assert_int_equal(baseline_step(&b, 40, 9), 9);      /* new key: all of it */
	assert_int_equal(baseline_step(&b, 30, 40), 40);    /* went down: reused key */
	assert_int_equal(baseline_step(&b, 30, 45), 5);
	baseline_forget(&b, 30);
	baseline_forget(&b, 1234);                          /* never kept: ignored */
	assert_int_equal(baseline_step(&b, 30, 45), 45);    /* forgotten: new again */
	baseline_reset(&b);
	assert_false(b.valid);
	baseline_free(&b);
}

/* A holding table: a reading below the kept value was an estimate ahead of
 * the counter; it counts nothing, and the counter must pass the higher
 * value before anything more counts. A forgotten key is new as ever. */
static void held(void **state)
{
	struct baseline b = { .hold = 1 };

	(void)state;
	assert_int_equal(baseline_step(&b, 5, 100), 100);
	baseline_complete(&b);
	assert_int_equal(baseline_step(&b, 5, 130), 30);
	assert_int_equal(baseline_step(&b, 5, 120), 0);     /* went down: held at 130 */
	assert_int_equal(baseline_step(&b, 5, 128), 0);
	assert_int_equal(baseline_step(&b, 5, 135), 5);     /* only past 130 counts */
	baseline_forget(&b, 5);
	assert_int_equal(baseline_step(&b, 5, 3), 3);
	baseline_free(&b);
}

/* Many keys, forgotten in an order that exercises the backward shift of
 * probe runs across growth and wrap-around; every survivor keeps its value. */
static void many_keys(void **state)
{
	struct baseline b = { 0 };
	const uint64_t n = 50000;

	(void)state;
	for (uint64_t k = 0; k < n; k++)
		assert_int_equal(baseline_step(&b, k * 256 + 3, k + 1), k + 1);
	assert_int_equal(b.n, n);
	for (uint64_t k = 0; k < n; k += 3)
		baseline_forget(&b, k * 256 + 3);
	for (uint64_t k = 0; k < n; k++) {
		uint64_t want = k % 3 ? 1 : k + 2; /* survivors moved on by 1 */

		assert_int_equal(baseline_step(&b, k * 256 + 3, k + 2), want);
	}
	assert_int_equal(b.n, n);
	baseline_free(&b);
	assert_int_equal(b.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(diffs),
		cmocka_unit_test(held),
		cmocka_unit_test(many_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

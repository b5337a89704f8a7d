/* Interval diffs of cumulative counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "baseline.h"

static struct total *totals(size_t n, const uint64_t *kv)
{
	struct total *t = malloc(n * sizeof(*t));

	for (size_t i = 0; i < n; i++)
		t[i] = (struct total){ kv[2 * i], kv[2 * i + 1] };
	return t;
}

static void diffs(void **state)
{
	struct baseline b = { 0 };
	const uint64_t first[] = { 30, 500, 10, 100, 20, 7 };

	(void)state;
	assert_false(b.valid);
	assert_int_equal(baseline_delta(&b, 10, 100), 100); /* nothing known yet */
	baseline_commit(&b, totals(3, first), 3);
	assert_true(b.valid);
	assert_int_equal(baseline_delta(&b, 10, 150), 50);
	assert_int_equal(baseline_delta(&b, 30, 500), 0);
	assert_int_equal(baseline_delta(&b, 20, 7), 0);
	assert_int_equal(baseline_delta(&b, 40, 9), 9);     /* new key: all of it */
	assert_int_equal(baseline_delta(&b, 30, 40), 40);   /* went down: reused key */
	baseline_reset(&b);
	assert_false(b.valid);
	baseline_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(diffs) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}

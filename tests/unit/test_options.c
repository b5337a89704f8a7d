/* Option parsing: good values, every kind of bad value, and messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "tui/options.h"
#include "probes/snapshot.h"

static enum parse_result parse(struct options *o, char *err, const char *a1, const char *a2)
{
	char *argv[] = { "ebtop", (char *)a1, (char *)a2, NULL };
	int argc = 1 + (a1 != NULL) + (a2 != NULL);
	FILE *devnull = fopen("/dev/null", "w");
	enum parse_result r = options_parse(argc, argv, o, devnull, err, 256);

	fclose(devnull);
	return r;
}

static void defaults(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, NULL, NULL), PARSE_OK);
	assert_true(o.delay == 1.0);
	assert_int_equal(o.view, PANE_CPU);
	assert_int_equal(o.iterations, 0);
	assert_null(o.json);
	assert_false(o.batch);
	assert_string_equal(o.theme, "default");
}

static void good_values(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "-d", "0.1"), PARSE_OK);
	assert_true(o.delay == 0.1);
	assert_int_equal(parse(&o, err, "--delay=3600", NULL), PARSE_OK);
	assert_true(o.delay == 3600);
	assert_int_equal(parse(&o, err, "-v", "exec"), PARSE_OK);
	assert_int_equal(o.view, PANE_EXEC);
	assert_int_equal(parse(&o, err, "--view=runq", NULL), PARSE_OK);
	assert_int_equal(o.view, PANE_RUNQ);
	assert_int_equal(parse(&o, err, "-n", "7"), PARSE_OK);
	assert_int_equal(o.iterations, 7);
	assert_int_equal(parse(&o, err, "--json=-", NULL), PARSE_OK);
	assert_string_equal(o.json, "-");
	assert_int_equal(parse(&o, err, "-b", NULL), PARSE_OK);
	assert_true(o.batch);
	assert_int_equal(parse(&o, err, "--record=x", "--record-max=64K"), PARSE_OK);
	assert_int_equal(o.record_max, 65536);
	assert_int_equal(o.record_keep, RECORD_KEEP_DEFAULT);
	/* a replay's processes ran elsewhere: its PID filter needs no such process here */
	assert_int_equal(parse(&o, err, "-rx", "-p2147483647"), PARSE_OK);
	assert_int_equal(o.pids[0], 2147483647);
}

static void sizes(void **state)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} good[] = { { "0", 0 }, { "512", 512 }, { "500K", 512000 }, { "64M", 64ull << 20 },
		     { "2G", 2ull << 30 }, { "16777215T", 16777215ull << 40 } };
	static const char *const bad[] = { "", "K", "-1", "1.5M", "1MB", "1m", " 1", "16777216T" };
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(options_parse_size(good[i].text, &v), 0);
		assert_int_equal(v, good[i].bytes);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (options_parse_size(bad[i], &v) == 0)
			fail_msg("'%s' parsed as %llu", bad[i], (unsigned long long)v);
}

static void latencies(void **state)
{
	static const struct {
		const char *text;
		uint64_t us;
	} good[] = { { "1", 1000 }, { "1ms", 1000 }, { "250us", 250 }, { "0.5s", 500000 },
		     { "2.5ms", 2500 }, { "1us", 1 }, { "10s", 10000000 } };
	static const char *const bad[] = { "", "ms", "-1ms", "0", "0.4us", "11s", "1 ms", "1m", "nan" };
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(options_parse_latency(good[i].text, &v), 0);
		assert_int_equal(v, good[i].us);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (options_parse_latency(bad[i], &v) == 0)
			fail_msg("'%s' parsed as %llu us", bad[i], (unsigned long long)v);
}

static void bad_values(void **state)
{
	static const struct {
		const char *a1, *a2, *msg;
	} cases[] = {
		{ "-d", "0", "invalid delay '0'" },
		{ "-d", "0.09", "invalid delay" },
		{ "-d", "3601", "invalid delay" },
		{ "-d", "1x", "invalid delay" },
		{ "-d", "nan", "invalid delay" },
		{ "-d", "", "invalid delay" },
		{ "-v", "nope", "unknown view 'nope'" },
		{ "-n", "-1", "invalid iteration count '-1'" },
		{ "-n", "0", "invalid iteration count" },
		{ "-n", "3.5", "invalid iteration count" },
		{ "-p", "abc", "invalid pid list 'abc'" },
		{ "-p", "1,", "trailing comma" },
		{ "-p", "-5", "invalid pid list" },
		{ "-p", "0", "invalid pid list" },
		{ "-p", "2147483647", "pid 2147483647 does not exist" },
		{ "--bogus", NULL, "unknown option '--bogus'" },
		{ "-d", NULL, "needs a value" },
		{ "stray", NULL, "unexpected argument 'stray'" },
		{ "--json=", NULL, "--json needs a file name" },
		{ "-b", "--json=-", "choose one" },
		{ "--record-max=1M", NULL, "--record-max only applies to --record" },
		{ "--record-keep=3", NULL, "--record-keep only applies to --record" },
		{ "--record=x", "--record-max=1000", "invalid --record-max '1000'" },
		{ "--record=x", "--record-max=1Q", "invalid --record-max" },
		{ "--record=x", "--record-max=99999999999999999999", "invalid --record-max" },
		{ "--record=x", "--record-max=17179869184T", "invalid --record-max" },
		{ "--record=x", "--record-keep=0", "invalid --record-keep '0'" },
		{ "--record=x", "--record-keep=1001", "invalid --record-keep" },
		{ "--from=-1s", NULL, "--from only applies to --replay" },
		{ "-rx", "--from=-1s", "give one of them" },
		{ "--config=x", "--no-config", "choose one" },
		{ "-rx", "--listen=127.0.0.1:0", "--listen does not apply" },
	};
	struct options o;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse(&o, err, cases[i].a1, cases[i].a2), PARSE_USAGE);
		if (!strstr(err, cases[i].msg))
			fail_msg("%s %s: got '%s', want '%s'", cases[i].a1,
				 cases[i].a2 ? cases[i].a2 : "", err, cases[i].msg);
	}
}

static void pid_lists(void **state)
{
	uint32_t pids[4];
	size_t n;
	char err[256], list[64];

	(void)state;
	snprintf(list, sizeof(list), "1,%d", getpid());
	assert_int_equal(options_parse_pids(list, pids, 4, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(pids[0], 1);
	assert_int_equal(pids[1], (uint32_t)getpid());
	assert_int_equal(options_parse_pids("1,1,1,1,1", pids, 4, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too many pids"));
	assert_int_equal(options_parse_pids("", pids, 4, &n, err, sizeof(err)), -1);
	assert_int_equal(options_parse_pids("1 ,2", pids, 4, &n, err, sizeof(err)), -1);
}

static void help_and_version(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "--help", NULL), PARSE_EXIT);
	assert_int_equal(parse(&o, err, "-V", NULL), PARSE_EXIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(good_values),
		cmocka_unit_test(bad_values),
		cmocka_unit_test(pid_lists),
		cmocka_unit_test(sizes),
		cmocka_unit_test(latencies),
		cmocka_unit_test(help_and_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The "ebtop/1" document, printed and parsed back with cJSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "views/view.h"

static void document(void **state)
{
	struct cpu_row rows[2] = {
		{ .pid = 42, .oncpu_ns = 990000000, .pct = 99.0, .comm = "spin\x1b[2J", .cgroup = "/a" },
		{ .pid = 7, .oncpu_ns = 10, .pct = 0.001, .comm = "bad\xff", .cgroup = "/" },
	};
	struct snapshot s = { .interval_s = 1.0, .wall = { 1700000000, 5000000 } };
	unsigned pids[] = { 42 };
	struct json_meta meta = { .view = "cpu", .pids = pids, .npids = 1, .cgroup = NULL };
	cJSON *doc, *back, *cpu, *p;
	char *text;

	(void)state;
	s.cpu = (struct cpu_snap){ .ncpus = 2, .idle_ns = 1000, .n = 2, .rows = rows };
	snprintf(s.error[PANE_TCP], sizeof(s.error[0]), "tcp: tracepoint missing");
	doc = json_snapshot(&s, &meta);
	text = json_print(doc); /* what ebtop writes */
	cJSON_Delete(doc);
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\n'));
	back = cJSON_Parse(text);
	assert_non_null(back);
	assert_string_equal(cJSON_GetObjectItem(back, "schema")->valuestring, "ebtop/1");
	assert_string_equal(cJSON_GetObjectItem(back, "time")->valuestring,
			    "2023-11-14T22:13:20.005Z");
	assert_string_equal(cJSON_GetObjectItem(back, "view")->valuestring, "cpu");
	assert_true(cJSON_IsString(cJSON_GetObjectItem(back, "host")));
	assert_true(cJSON_IsString(cJSON_GetObjectItem(back, "kernel")));
	assert_true(cJSON_GetObjectItem(back, "interval_s")->valuedouble == 1.0);
	p = cJSON_GetObjectItem(cJSON_GetObjectItem(back, "filter"), "pids");
	assert_int_equal(cJSON_GetArraySize(p), 1);
	assert_int_equal(cJSON_GetArrayItem(p, 0)->valueint, 42);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(back, "filter"), "cgroup")));
	cpu = cJSON_GetObjectItem(back, "cpu");
	assert_int_equal(cJSON_GetObjectItem(cpu, "ncpus")->valueint, 2);
	p = cJSON_GetArrayItem(cJSON_GetObjectItem(cpu, "processes"), 0);
	assert_int_equal(cJSON_GetObjectItem(p, "pid")->valueint, 42);
	assert_string_equal(cJSON_GetObjectItem(p, "comm")->valuestring, "spin\\x1b[2J");
	assert_true(cJSON_GetObjectItem(p, "cpu_pct")->valuedouble == 99.0);
	assert_true(cJSON_GetObjectItem(p, "oncpu_ns")->valuedouble == 990000000);
	assert_string_equal(cJSON_GetObjectItem(p, "cgroup")->valuestring, "/a");
	p = cJSON_GetArrayItem(cJSON_GetObjectItem(cpu, "processes"), 1);
	assert_string_equal(cJSON_GetObjectItem(p, "comm")->valuestring, "bad\xef\xbf\xbd");
	/* every pane key exists; an unavailable one carries its reason */
	for (int i = 0; i < NPANES; i++)
		assert_non_null(cJSON_GetObjectItem(back, pane_name(i)));
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetObjectItem(back, "tcp"), "error")->valuestring,
		"tcp: tracepoint missing");
	cJSON_Delete(back);
	free(text);
}

/* runq: percentiles, the non-empty buckets with their upper bounds, and
 * the per-process rows, as doc/json.md names them. */
static void runq_object(void **state)
{
	static struct runq_proc_row procs[1] = { { .pid = 9, .comm = "w", .count = 3,
						   .p50_us = 5, .p99_us = 7.5, .max_us = 8 } };
	static struct snapshot s;
	struct json_meta meta = { .view = "runq" };
	cJSON *doc, *runq, *b;

	(void)state;
	s.runq.count = 3;
	s.runq.p50_us = 5;
	s.runq.p90_us = 7;
	s.runq.p99_us = 7.5;
	s.runq.max_us = 7.9;
	s.runq.hist[5] = 2;  /* [5, 6) us */
	s.runq.hist[7] = 1;  /* [7, 8) us */
	s.runq.np = 1;
	s.runq.procs = procs;
	doc = json_snapshot(&s, &meta);
	runq = cJSON_GetObjectItem(doc, "runq");
	assert_int_equal(cJSON_GetObjectItem(runq, "count")->valueint, 3);
	assert_true(cJSON_GetObjectItem(runq, "p99_us")->valuedouble == 7.5);
	assert_true(cJSON_GetObjectItem(runq, "max_us")->valuedouble == 7.9);
	b = cJSON_GetObjectItem(runq, "buckets");
	assert_int_equal(cJSON_GetArraySize(b), 2);
	assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 0), "le_us")->valuedouble == 6);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 0), "count")->valueint, 2);
	assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 1), "le_us")->valuedouble == 8);
	b = cJSON_GetArrayItem(cJSON_GetObjectItem(runq, "processes"), 0);
	assert_int_equal(cJSON_GetObjectItem(b, "pid")->valueint, 9);
	assert_true(cJSON_GetObjectItem(b, "p99_us")->valuedouble == 7.5);
	assert_true(cJSON_GetObjectItem(b, "max_us")->valuedouble == 8);
	assert_null(cJSON_GetObjectItem(runq, "samples")); /* test-only, off */
	cJSON_Delete(doc);
}

/* Everything but fractions prints as cJSON's own printer does, byte for
 * byte: integers near 2^53 and negative ones, every escape, UTF-8 passed
 * through, nesting, empty containers, the literals, raw text. */
static void printer_text_as_cjson(void **state)
{
	cJSON *doc = cJSON_CreateObject(), *a;
	char *ours, *theirs;

	(void)state;
	cJSON_AddNumberToObject(doc, "zero", 0);
	cJSON_AddNumberToObject(doc, "neg", -42);
	cJSON_AddNumberToObject(doc, "int_max", 2147483647);
	cJSON_AddStringToObject(doc, "esc", "q\"b\\s/n\nt\tr\rb\bf\f\x01\x1f\x7f");
	cJSON_AddStringToObject(doc, "utf8", "h\xc3\xa9llo \xe2\x9c\x93");
	cJSON_AddStringToObject(doc, "", "");
	cJSON_AddStringToObject(doc, "k\"ey\n", "v");
	a = cJSON_AddArrayToObject(doc, "arr");
	cJSON_AddItemToArray(a, cJSON_CreateObject());
	cJSON_AddItemToArray(a, cJSON_CreateArray());
	cJSON_AddItemToArray(a, cJSON_CreateTrue());
	cJSON_AddItemToArray(a, cJSON_CreateFalse());
	cJSON_AddItemToArray(a, cJSON_CreateNull());
	cJSON_AddItemToArray(a, cJSON_CreateNumber(7));
	cJSON_AddRawToObject(doc, "raw", "{\"r\":[1,2]}");
	ours = json_print(doc);
	theirs = cJSON_PrintUnformatted(doc);
	assert_non_null(ours);
	assert_string_equal(ours, theirs);
	free(ours);
	cJSON_free(theirs);
	cJSON_Delete(doc);
}

/* Every number reads back exactly (JSON has no NaN or infinity: null, as
 * cJSON prints them), integral ones without a fraction or exponent. */
static void printer_numbers_read_back(void **state)
{
	const double v[] = { 0.5, 1.0 / 3, -2.75, 91.170087880208044, 0.1 + 0.2, 1e-300,
			     -1e300, 9007199254740991.0, -9007199254740991.0, 9007199254740992.0,
			     1e20, 4294967296.0 * 3, 123456789012.0, -0.0 };
	cJSON *arr = cJSON_CreateArray(), *back, *it;
	char *text;
	size_t i = 0;

	(void)state;
	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(v[k]));
	cJSON_AddItemToArray(arr, cJSON_CreateNumber(NAN));
	cJSON_AddItemToArray(arr, cJSON_CreateNumber(INFINITY));
	text = json_print(arr);
	assert_non_null(text);
	assert_non_null(strstr(text, ",9007199254740991,-9007199254740991,"));
	assert_non_null(strstr(text, ",12884901888,123456789012,0,null,null]"));
	back = cJSON_Parse(text);
	assert_non_null(back);
	cJSON_ArrayForEach(it, back) {
		if (i < sizeof(v) / sizeof(v[0])) {
			assert_true(cJSON_IsNumber(it));
			assert_true(it->valuedouble == v[i]); /* exactly */
		} else {
			assert_true(cJSON_IsNull(it));
		}
		i++;
	}
	assert_int_equal(i, sizeof(v) / sizeof(v[0]) + 2);
	free(text);
	cJSON_Delete(back);
	cJSON_Delete(arr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(document),
		cmocka_unit_test(runq_object),
		cmocka_unit_test(printer_text_as_cjson),
		cmocka_unit_test(printer_numbers_read_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

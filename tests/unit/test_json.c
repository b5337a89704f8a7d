/* The "ebtop/1" document, printed and parsed back with cJSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "view.h"

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
	text = cJSON_PrintUnformatted(doc);
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
 * the per-process rows, as SPEC names them. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(document),
		cmocka_unit_test(runq_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

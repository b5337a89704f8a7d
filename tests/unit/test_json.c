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

/* tcp: the depth of a connection and the per-process rows, written and
 * read back as a replay reads them; a connect that failed keeps its
 * error, a reset its side. */
static void tcp_round_trip(void **state)
{
	static struct tcp_row live[1] = { { .pid = 5, .comm = "curl", .family = 2, .state = 1,
					     .sport = 40000, .dport = 443, .srtt_us = 1234,
					     .rttvar_us = 56, .cwnd = 10, .retrans = 7,
					     .retrans_per_s = 2.5, .connect_ms = 0.25 } };
	static struct tcp_row closed[2] = {
		{ .pid = 5, .comm = "curl", .family = 2, .state = 7, .connect_ms = -1, .failed = true,
		  .err = 111, .reset = TCP_RESET_BY_PEER },
		{ .pid = 6, .comm = "srv", .family = 2, .state = 7, .connect_ms = -1,
		  .reset = TCP_RESET_BY_US, .err = 99999 },
	};
	static struct tcp_proc_row procs[1] = { { .pid = 5, .comm = "curl", .connections = 1,
						  .tx_per_s = 10, .rx_per_s = 20, .retrans_per_s = 2.5,
						  .connects = 3, .failed_connects = 1 } };
	static struct snapshot s, back;
	struct json_meta meta = { .view = "tcp", .history = true };
	struct json_header h;
	char err[128], *text;
	cJSON *doc;

	(void)state;
	s.tcp = (struct tcp_snap){ .n = 1, .rows = live, .nclosed = 2, .closed = closed, .np = 1,
				   .procs = procs };
	doc = json_snapshot(&s, &meta);
	text = json_print(doc);
	cJSON_Delete(doc);
	assert_int_equal(json_parse_snapshot(text, strlen(text), &back, &h, err, sizeof(err)), 0);
	assert_int_equal(back.tcp.n, 1);
	assert_int_equal(back.tcp.rows[0].srtt_us, 1234);
	assert_int_equal(back.tcp.rows[0].rttvar_us, 56);
	assert_int_equal(back.tcp.rows[0].cwnd, 10);
	assert_int_equal(back.tcp.rows[0].retrans, 7);
	assert_true(back.tcp.rows[0].retrans_per_s == 2.5);
	assert_true(back.tcp.rows[0].connect_ms == 0.25);
	assert_int_equal(back.tcp.nclosed, 2);
	assert_true(back.tcp.closed[0].failed);
	assert_int_equal(back.tcp.closed[0].err, 111);
	assert_int_equal(back.tcp.closed[0].reset, TCP_RESET_BY_PEER);
	assert_true(back.tcp.closed[0].connect_ms < 0); /* none: the key is absent */
	assert_false(back.tcp.closed[1].failed);
	assert_int_equal(back.tcp.closed[1].reset, TCP_RESET_BY_US);
	assert_int_equal(back.tcp.closed[1].err, 99999); /* "errno 99999" */
	assert_int_equal(back.tcp.np, 1);
	assert_int_equal(back.tcp.procs[0].pid, 5);
	assert_string_equal(back.tcp.procs[0].comm, "curl");
	assert_int_equal(back.tcp.procs[0].connects, 3);
	assert_int_equal(back.tcp.procs[0].failed_connects, 1);
	assert_true(back.tcp.procs[0].retrans_per_s == 2.5);
	assert_true(back.tcp.procs[0].rx_per_s == 20);
	snapshot_free(&back);
	free(text);
}

/* runq: who made whom wait, written and read back; the culprits are
 * the pairs added up again, as live. */
static void runq_delays_round_trip(void **state)
{
	static struct runq_delay_row delays[3] = {
		{ .culprit = 7, .victim = 9, .culprit_comm = "hog", .victim_comm = "web", .caused_ns = 3000,
		  .waits = 2, .worst_us = 2.5 },
		{ .culprit = 7, .victim = 8, .culprit_comm = "hog", .victim_comm = "db", .caused_ns = 1000,
		  .waits = 1, .worst_us = 4 },
		{ .culprit = 9, .victim = 7, .culprit_comm = "web", .victim_comm = "hog", .caused_ns = 500,
		  .waits = 1, .worst_us = 0.5 },
	};
	static struct runq_proc_row procs[1] = { { .pid = 9, .comm = "web", .count = 3, .slow = 2,
						   .p99_us = 7, .p999_us = 7.5 } };
	static struct snapshot s, back;
	struct json_meta meta = { .view = "runq" };
	struct json_header h;
	char err[128], *text;
	cJSON *doc;

	(void)state;
	s.runq = (struct runq_snap){ .ndelays = 3, .delays = delays, .np = 1, .procs = procs,
				     .slow_us = 1000 };
	doc = json_snapshot(&s, &meta);
	text = json_print(doc);
	cJSON_Delete(doc);
	assert_non_null(strstr(text, "\"culprits\":[]")); /* none were computed here */
	assert_int_equal(json_parse_snapshot(text, strlen(text), &back, &h, err, sizeof(err)), 0);
	assert_int_equal(back.runq.ndelays, 3);
	assert_string_equal(back.runq.delays[1].victim_comm, "db");
	assert_int_equal(back.runq.procs[0].slow, 2);
	assert_true(back.runq.procs[0].p999_us == 7.5);
	assert_int_equal(back.runq.slow_us, 1000);
	assert_int_equal(back.runq.nculprits, 2);
	assert_int_equal(back.runq.culprits[0].pid, 7);
	assert_int_equal(back.runq.culprits[0].caused_ns, 4000);
	assert_int_equal(back.runq.culprits[0].waits, 3);
	assert_int_equal(back.runq.culprits[0].victims, 2);
	assert_true(back.runq.culprits[0].worst_us == 4);
	assert_string_equal(back.runq.culprits[1].comm, "web");
	snapshot_free(&back);
	free(text);
}

/* ebtop's own cost goes out as "self" and comes back; a document
 * without it has none, and hostile numbers are clamped. */
static void self_round_trip(void **state)
{
	static struct snapshot s, back;
	struct json_meta meta = { .view = "cpu" };
	struct json_header h;
	char err[128], *text;
	static const char hostile[] =
		"{\"schema\":\"ebtop/1\",\"time\":\"2026-12-02T10:00:00.000Z\",\"self\":"
		"{\"cpu_ms_per_refresh\":-5,\"rss_bytes\":1e300,\"probes\":[{\"probe\":"
		"\"a-name-longer-than-sixteen\",\"bpf_ns_per_s\":-1},1,2,3,4,5,6,7,8,9]}}";
	cJSON *doc;

	(void)state;
	s.self = (struct self_snap){ .have = true, .rates = true, .bpf_stats = true, .cpu_ms = 0.75,
				     .cpu_s = 12.5, .rss_bytes = 20 << 20, .map_bytes = 7 << 20,
				     .lost = 3, .nprobes = 2 };
	s.self.probe[0] = (struct self_probe){ "cpu", 5000000, 20000, 250000, 1000 };
	s.self.probe[1] = (struct self_probe){ "sys", 9000000, 300000, 410000, 10000 };
	doc = json_snapshot(&s, &meta);
	text = json_print(doc);
	cJSON_Delete(doc);
	assert_int_equal(json_parse_snapshot(text, strlen(text), &back, &h, err, sizeof(err)), 0);
	assert_true(back.self.have && back.self.bpf_stats);
	assert_true(back.self.cpu_ms == 0.75 && back.self.cpu_s == 12.5);
	assert_int_equal(back.self.rss_bytes, 20 << 20);
	assert_int_equal(back.self.map_bytes, 7 << 20);
	assert_int_equal(back.self.lost, 3);
	assert_int_equal(back.self.nprobes, 2);
	assert_string_equal(back.self.probe[1].name, "sys");
	assert_int_equal(back.self.probe[1].run_ns, 9000000);
	assert_int_equal(back.self.probe[1].runs, 300000);
	assert_true(back.self.probe[1].ns_per_s == 410000 && back.self.probe[1].runs_per_s == 10000);
	snapshot_free(&back);
	free(text);
	memset(&s.self, 0, sizeof(s.self));
	doc = json_snapshot(&s, &meta);
	text = json_print(doc);
	cJSON_Delete(doc);
	assert_null(strstr(text, "\"self\""));
	free(text);
	assert_int_equal(json_parse_snapshot(hostile, strlen(hostile), &back, &h, err, sizeof(err)), 0);
	assert_true(back.self.have && !back.self.bpf_stats);
	assert_true(back.self.cpu_ms == 0);
	assert_int_equal(back.self.rss_bytes, UINT64_MAX);
	assert_int_equal(back.self.nprobes, SELF_MAX_PROBES);
	assert_string_equal(back.self.probe[0].name, "a-name-longer-t");
	assert_true(back.self.probe[0].ns_per_s == 0);
	snapshot_free(&back);
}

/* An exec's return value out of int range reads as the nearest one
 * (the sanitizer pass's fuzzer found the cast undefined). */
static void exec_ret_clamped(void **state)
{
	static const char doc[] =
		"{\"schema\":\"ebtop/1\",\"time\":\"2026-12-02T10:00:00.000Z\",\"exec\":"
		"{\"events\":[{\"ret\":1e49},{\"ret\":-1e49},{\"ret\":-2}]}}";
	struct snapshot s;
	struct json_header h;
	char err[128];

	(void)state;
	assert_int_equal(json_parse_snapshot(doc, strlen(doc), &s, &h, err, sizeof(err)), 0);
	assert_int_equal(s.exec.n, 3);
	assert_int_equal(s.exec.recs[0]->ret, INT32_MAX);
	assert_int_equal(s.exec.recs[1]->ret, INT32_MIN);
	assert_int_equal(s.exec.recs[2]->ret, -2);
	snapshot_free(&s);
}

/* Programs are told apart by their names, ebtop's own. */
static void self_probe_names(void **state)
{
	(void)state;
	assert_string_equal(selfcost_probe_of("sched_switch_btf"), "sched");
	assert_string_equal(selfcost_probe_of("dump_threads"), "cpu");
	assert_string_equal(selfcost_probe_of("cpu_now"), "cpu");
	assert_string_equal(selfcost_probe_of("sys_exit_btf"), "sys");
	assert_string_equal(selfcost_probe_of("dump_conns"), "tcp");
	assert_string_equal(selfcost_probe_of("execat_enter"), "exec");
	assert_string_equal(selfcost_probe_of("filter_fork_btf"), "filter");
	assert_string_equal(selfcost_probe_of("gather_percpu"), "gather");
	assert_string_equal(selfcost_probe_of("off_switch_btf"), "stack");
	assert_string_equal(selfcost_probe_of("someone_else"), "other");
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
		cmocka_unit_test(tcp_round_trip),
		cmocka_unit_test(runq_delays_round_trip),
		cmocka_unit_test(self_round_trip),
		cmocka_unit_test(self_probe_names),
		cmocka_unit_test(exec_ret_clamped),
		cmocka_unit_test(printer_text_as_cjson),
		cmocka_unit_test(printer_numbers_read_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

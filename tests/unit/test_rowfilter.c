/* A replay's filters on recorded rows: a PID list, a cgroup (by the path
 * the rows carry, at a path boundary, whatever prefix the user typed), and
 * both at once keep the same processes in every pane; the runq histogram
 * is the exact merge of the kept processes' own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "probes/histogram.h"
#include "tui/rowfilter.h"
#include "views/view.h"

/* Three processes: 1 and 2 in a.slice, 3 in b.slice. */
static void load(struct snapshot *s)
{
	char doc[4096], err[256];
	struct json_header h;
	int n = snprintf(
		doc, sizeof(doc),
		"{\"schema\":\"ebtop/1\",\"time\":\"2026-12-01T10:00:00.000Z\",\"interval_s\":2,"
		"\"cpu\":{\"ncpus\":2,\"processes\":["
		"{\"pid\":1,\"comm\":\"one\",\"cgroup\":\"/a.slice/x.service\"},"
		"{\"pid\":2,\"comm\":\"two\",\"cgroup\":\"/a.slice/y.service\"},"
		"{\"pid\":3,\"comm\":\"three\",\"cgroup\":\"/a.slicer\"}]},"
		"\"runq\":{\"count\":5,\"processes\":["
		"{\"pid\":1,\"count\":2,\"max_us\":128,\"buckets\":[{\"le_us\":%g,\"count\":2}]},"
		"{\"pid\":3,\"count\":3,\"max_us\":8192,\"buckets\":[{\"le_us\":%g,\"count\":3}]}],"
		"\"delays\":[{\"culprit\":3,\"victim\":1,\"caused_ns\":100,\"waits\":1},"
		"{\"culprit\":1,\"victim\":3,\"caused_ns\":50,\"waits\":1}]},"
		"\"sys\":{\"processes\":[{\"pid\":1,\"count\":10},{\"pid\":2,\"count\":20},"
		"{\"pid\":3,\"count\":30}]},"
		"\"tcp\":{\"connections\":[{\"pid\":1,\"family\":\"ipv4\",\"state\":\"ESTABLISHED\"},"
		"{\"pid\":3,\"family\":\"ipv4\",\"state\":\"ESTABLISHED\"},"
		/* an owner that did not run: its cgroup from the owners table */
		"{\"pid\":5,\"family\":\"ipv4\",\"state\":\"ESTABLISHED\",\"cgroup\":\"/a.slice/z.service\"}],"
		"\"closed\":[{\"pid\":2,\"family\":\"ipv4\",\"state\":\"CLOSE\"}],"
		"\"processes\":[{\"pid\":1,\"connections\":1},{\"pid\":3,\"connections\":1}]},"
		"\"exec\":{\"events\":[{\"time\":\"2026-12-01T09:59:59.500Z\",\"pid\":2,"
		"\"filename\":\"/bin/two\",\"argv\":[\"two\"]},"
		"{\"time\":\"2026-12-01T09:59:59.600Z\",\"pid\":3,\"filename\":\"/bin/three\","
		"\"argv\":[\"three\"]}]},"
		"\"stack\":{\"mode\":\"oncpu\",\"collecting\":true,\"hz\":49,\"samples\":12,"
		"\"lost\":1,\"others\":1,\"total\":11,\"stacks\":["
		"{\"pid\":3,\"comm\":\"three\",\"frames\":[\"main\",\"c\"],\"count\":6},"
		"{\"pid\":1,\"comm\":\"one\",\"frames\":[\"main\",\"a\"],\"count\":3},"
		"{\"pid\":1,\"comm\":\"one\",\"frames\":[\"main\",\"b\"],\"count\":1}]}}",
		bucket_high(bucket_index(100)), bucket_high(bucket_index(5000)));

	assert_true(n > 0 && n < (int)sizeof(doc));
	assert_int_equal(json_parse_snapshot(doc, n, s, &h, err, sizeof(err)), 0);
	assert_int_equal(s->cpu.n, 3);
	assert_int_equal(s->exec.n, 2);
	assert_int_equal(s->tcp.nclosed, 1);
}

static void cgroup_text(void **state)
{
	static const char *const cases[][2] = {
		{ "/sys/fs/cgroup/unified/a.slice/", "/a.slice" },
		{ "/sys/fs/cgroup/a.slice", "/a.slice" },
		{ "/sys/fs/cgroup/unified", "/" },
		{ "a.slice/x.service", "/a.slice/x.service" },
		{ "/", "/" },
		{ "/sys/fs/cgroupx/a", "/sys/fs/cgroupx/a" },
	};
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rowfilter_cgroup(cases[i][0], out, sizeof(out));
		assert_string_equal(out, cases[i][1]);
	}
}

static void by_pid(void **state)
{
	struct snapshot s;
	struct rowfilter f = { (const uint32_t[]){ 1 }, 1, NULL };

	(void)state;
	load(&s);
	rowfilter_apply(&s, &f);
	assert_int_equal(s.cpu.n, 1);
	assert_int_equal(s.cpu.rows[0].pid, 1);
	assert_int_equal(s.runq.np, 1);
	assert_int_equal(s.runq.count, 2);
	assert_int_equal(s.runq.hist[bucket_index(100)], 2);
	assert_int_equal(s.runq.hist[bucket_index(5000)], 0);
	assert_true(s.runq.p99_us >= bucket_low(bucket_index(100)) &&
		    s.runq.p99_us <= bucket_high(bucket_index(100)));
	assert_true(s.runq.max_us == 128);
	/* who delayed pid 1: pid 3, the only culprit left */
	assert_int_equal(s.runq.ndelays, 1);
	assert_int_equal(s.runq.nculprits, 1);
	assert_int_equal(s.runq.culprits[0].pid, 3);
	assert_int_equal(s.runq.culprits[0].caused_ns, 100);
	assert_int_equal(s.sys.np, 1);
	assert_int_equal(s.sys.procs[0].count, 10);
	assert_int_equal(s.tcp.n, 1);
	assert_int_equal(s.tcp.nclosed, 0);
	assert_int_equal(s.tcp.np, 1);
	assert_int_equal(s.tcp.procs[0].pid, 1);
	assert_int_equal(s.exec.n, 0);
	/* its two stacks, their shares of its own 4 samples */
	assert_int_equal(s.stack.n, 2);
	assert_int_equal(s.stack.rows[0].pid, 1);
	assert_int_equal(s.stack.rows[1].count, 1);
	assert_int_equal(s.stack.samples, 4);
	assert_int_equal(s.stack.total, 4);
	assert_int_equal(s.stack.lost + s.stack.others, 0);
	snapshot_free(&s);
}

static void by_cgroup(void **state)
{
	struct snapshot s;
	struct rowfilter f = { NULL, 0, "/sys/fs/cgroup/unified/a.slice" };

	(void)state;
	load(&s);
	assert_string_equal(snapshot_cgroup_of(&s, 3), "/a.slicer");
	assert_null(snapshot_cgroup_of(&s, 4));
	rowfilter_apply(&s, &f);
	/* 1 and 2, not 3: "/a.slicer" only shares the prefix */
	assert_int_equal(s.cpu.n, 2);
	assert_int_equal(s.cpu.rows[1].pid, 2);
	assert_int_equal(s.runq.np, 1);
	assert_int_equal(s.runq.count, 2);
	assert_int_equal(s.sys.np, 2);
	assert_int_equal(s.tcp.n, 2); /* pid 1's, and idle pid 5's */
	assert_int_equal(s.tcp.rows[1].pid, 5);
	assert_int_equal(s.tcp.nclosed, 1);
	assert_int_equal(s.exec.n, 1);
	assert_int_equal(s.exec.recs[0]->pid, 2);
	assert_int_equal(s.stack.n, 2); /* pid 1's; 3 is not in a.slice */
	assert_int_equal(s.stack.samples, 4);
	snapshot_free(&s);
}

static void both(void **state)
{
	struct snapshot s;
	struct rowfilter f = { (const uint32_t[]){ 3, 2 }, 2, "a.slice" };

	(void)state;
	load(&s);
	rowfilter_apply(&s, &f);
	assert_int_equal(s.cpu.n, 1);
	assert_int_equal(s.cpu.rows[0].pid, 2);
	assert_int_equal(s.runq.np, 0);
	assert_int_equal(s.runq.count, 0);
	assert_true(s.runq.p99_us == 0);
	assert_int_equal(s.sys.np, 1);
	assert_int_equal(s.exec.n, 1);
	snapshot_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cgroup_text),
		cmocka_unit_test(by_pid),
		cmocka_unit_test(by_cgroup),
		cmocka_unit_test(both),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The Prometheus view: counters add up intervals, per-process series are
 * bounded and forget exited processes, histograms fold exactly, label
 * values are escaped; and --listen's address parsing. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "probes/histogram.h"
#include "views/metrics.h"
#include "tui/serve.h"

static char *render(const struct metrics *m, enum metrics_format f)
{
	size_t len;
	char *text = metrics_render(m, f, &len);

	assert_non_null(text);
	assert_int_equal(strlen(text), len);
	return text;
}

/* The value of the sample line that starts with prefix, or -1. */
static double sample(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, prefix, n) && l[n] == ' ')
			return strtod(l + n + 1, NULL);
	return -1;
}

static size_t count_lines(const char *text, const char *prefix)
{
	size_t k = 0, n = strlen(prefix);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		k += !strncmp(l, prefix, n);
	return k;
}

static struct snapshot interval(struct cpu_row *rows, size_t n)
{
	struct snapshot s = { .interval_s = 1.0 };

	s.cpu = (struct cpu_snap){ .ncpus = 2, .n = n, .rows = rows, .idle_ns = 500000000 };
	return s;
}

static void counters_add_up(void **state)
{
	struct cpu_row rows[] = {
		{ .pid = 42, .oncpu_ns = 1500000000, .comm = "spin", .cgroup = "/a" },
		{ .pid = 7, .oncpu_ns = 250, .comm = "idle", .cgroup = "/" },
	};
	struct sys_row sys[] = { { .nr = 39, .name = "getpid", .count = 5, .errors = 1 } };
	struct metrics *m = metrics_new(10);
	struct snapshot s = interval(rows, 2), base = { .baseline = true };
	char *t;

	(void)state;
	base.cpu = s.cpu; /* a baseline adds nothing, whatever it holds */
	assert_int_equal(metrics_add(m, &base), 0);
	s.sys = (struct sys_snap){ .collecting = true, .n = 1, .rows = sys };
	s.exec.events = 3;
	s.exec.lost_total = 2;
	s.runq.count = 1;
	s.runq.hist[bucket_index(3)] = 1; /* a 3 us wait */
	s.runq.sum_ns = 3500;
	s.runq.nculprits = 1; /* spin made others wait 2 ms an interval */
	s.runq.culprits = (struct runq_culprit_row[]){ { .pid = 42, .comm = "spin", .caused_ns = 2000000 } };
	assert_int_equal(metrics_add(m, &s), 0);
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_PROMETHEUS);
	assert_true(sample(t, "ebtop_runq_delay_caused_seconds_total{pid=\"42\",comm=\"spin\"}") == 0.004);
	assert_int_equal(count_lines(t, "ebtop_runq_delay_caused_seconds_total{"), 1);
	assert_true(sample(t, "ebtop_cpu_seconds_total{pid=\"42\",comm=\"spin\",cgroup=\"/a\"}") == 3.0);
	assert_true(sample(t, "ebtop_cpu_seconds_total{pid=\"7\",comm=\"idle\",cgroup=\"/\"}") ==
		    500e-9);
	assert_non_null(strstr(t, "ebtop_cpu_seconds_total{pid=\"7\",comm=\"idle\",cgroup=\"/\"} 0.000000500\n"));
	assert_true(sample(t, "ebtop_cpu_idle_seconds_total") == 1.0);
	assert_true(sample(t, "ebtop_syscalls_total{syscall=\"getpid\"}") == 10);
	assert_true(sample(t, "ebtop_syscall_errors_total{syscall=\"getpid\"}") == 2);
	assert_true(sample(t, "ebtop_execs_total") == 6);
	assert_true(sample(t, "ebtop_lost_events_total{probe=\"exec\"}") == 2);
	/* 3 us lies in [3,4): under le=4us and above, never le=2us */
	assert_true(sample(t, "ebtop_runq_latency_seconds_bucket{le=\"0.000002\"}") == 0);
	assert_true(sample(t, "ebtop_runq_latency_seconds_bucket{le=\"0.000004\"}") == 2);
	assert_true(sample(t, "ebtop_runq_latency_seconds_bucket{le=\"1.048576\"}") == 2);
	assert_true(sample(t, "ebtop_runq_latency_seconds_bucket{le=\"+Inf\"}") == 2);
	assert_true(sample(t, "ebtop_runq_latency_seconds_count") == 2);
	assert_true(sample(t, "ebtop_runq_latency_seconds_sum") == 7e-6);
	assert_int_equal(count_lines(t, "ebtop_runq_latency_seconds_bucket{"), 22);
	/* the classic format names counters with _total in TYPE, no EOF */
	assert_non_null(strstr(t, "# TYPE ebtop_cpu_seconds_total counter\n"));
	assert_non_null(strstr(t, "# TYPE ebtop_build_info gauge\n"));
	assert_null(strstr(t, "# EOF"));
	free(t);
	t = render(m, METRICS_OPENMETRICS);
	assert_non_null(strstr(t, "# TYPE ebtop_cpu_seconds counter\n# UNIT ebtop_cpu_seconds seconds\n"));
	assert_non_null(strstr(t, "# TYPE ebtop_build info\n"));
	assert_non_null(strstr(t, "ebtop_execs_total 6\n"));
	assert_int_equal(strcmp(t + strlen(t) - 6, "# EOF\n"), 0);
	free(t);
	metrics_free(m);
}

static void probe_down_is_said(void **state)
{
	struct metrics *m = metrics_new(10);
	struct snapshot s = interval(NULL, 0);
	char *t;

	(void)state;
	snprintf(s.error[PANE_SYS], sizeof(s.error[0]), "sys: no BTF");
	s.sys.n = 1; /* ignored: the pane is down */
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_PROMETHEUS);
	assert_true(sample(t, "ebtop_probe_up{probe=\"sys\"}") == 0);
	assert_true(sample(t, "ebtop_probe_up{probe=\"cpu\"}") == 1);
	assert_int_equal(count_lines(t, "ebtop_syscalls_total{"), 0);
	free(t);
	metrics_free(m);
}

/* --self: ebtop's own families, the BPF ones only while the kernel's
 * stats are on; none without --self. */
static void self_cost(void **state)
{
	struct metrics *m = metrics_new(10);
	struct snapshot s = interval(NULL, 0);
	char *t;

	(void)state;
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_PROMETHEUS);
	assert_int_equal(count_lines(t, "ebtop_self_"), 0);
	free(t);
	s.self = (struct self_snap){ .have = true, .cpu_s = 1.5, .rss_bytes = 4096, .map_bytes = 8192,
				     .nprobes = 1 };
	s.self.probe[0] = (struct self_probe){ "sys", 2500000000ull, 7, 0, 0 };
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_OPENMETRICS);
	assert_true(sample(t, "ebtop_self_cpu_seconds_total") == 1.5);
	assert_true(sample(t, "ebtop_self_rss_bytes") == 4096);
	assert_true(sample(t, "ebtop_self_map_bytes") == 8192);
	assert_int_equal(count_lines(t, "ebtop_self_bpf_"), 0);
	free(t);
	s.self.bpf_stats = true;
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_OPENMETRICS);
	assert_true(sample(t, "ebtop_self_bpf_seconds_total{probe=\"sys\"}") == 2.5);
	assert_true(sample(t, "ebtop_self_bpf_runs_total{probe=\"sys\"}") == 7);
	assert_non_null(strstr(t, "# TYPE ebtop_self_bpf_seconds counter\n"));
	free(t);
	metrics_free(m);
}

static void top_n_and_exits(void **state)
{
	struct cpu_row rows[30];
	struct metrics *m = metrics_new(5);
	struct snapshot s;
	uint32_t gone[] = { 29 };
	char *t;

	(void)state;
	for (int i = 0; i < 30; i++)
		rows[i] = (struct cpu_row){ .pid = i + 1, .oncpu_ns = 1000 * (i + 1),
					    .comm = "w", .cgroup = "/" };
	s = interval(rows, 30);
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_PROMETHEUS);
	assert_int_equal(count_lines(t, "ebtop_cpu_seconds_total{"), 5);
	for (int pid = 26; pid <= 30; pid++) { /* the busiest five */
		char prefix[96];

		snprintf(prefix, sizeof(prefix),
			 "ebtop_cpu_seconds_total{pid=\"%d\",comm=\"w\",cgroup=\"/\"}", pid);
		assert_true(fabs(sample(t, prefix) - pid * 1e-6) < 1e-12);
	}
	free(t);
	/* pid 29 exits: its last interval counts, then it is gone */
	s = interval(rows + 28, 1);
	s.cpu.gone = gone;
	s.cpu.ngone = 1;
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_PROMETHEUS);
	assert_true(sample(t, "ebtop_cpu_seconds_total{pid=\"29\",comm=\"w\",cgroup=\"/\"}") < 0);
	assert_true(sample(t, "ebtop_cpu_seconds_total{pid=\"25\",comm=\"w\",cgroup=\"/\"}") ==
		    25e-6);
	free(t);
	/* now 30 runs hot: still in, and first */
	rows[29].oncpu_ns = 1000000;
	s = interval(rows + 29, 1);
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_PROMETHEUS);
	assert_non_null(strstr(t, "counter\nebtop_cpu_seconds_total{pid=\"30\","));
	free(t);
	/* a process quiet for 15 minutes is forgotten */
	s = interval(rows + 29, 1);
	s.interval_s = 900;
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_PROMETHEUS);
	assert_int_equal(count_lines(t, "ebtop_cpu_seconds_total{"), 1);
	free(t);
	metrics_free(m);
}

static void tcp_per_process(void **state)
{
	struct tcp_row live[] = {
		{ .pid = 9, .comm = "curl", .state = 1, .tx_new = 100, .rx_new = 1000, .srtt_us = 3,
		  .retrans_new = 2 },
		{ .pid = 9, .comm = "curl", .state = 1, .tx_new = 1, .rx_new = 0, .srtt_us = 1500 },
		{ .pid = 0, .comm = "", .state = 10 }, /* no owner: a state, no bytes */
	};
	struct tcp_row fresh[] = {
		{ .pid = 9, .comm = "curl", .tx_new = 10, .rx_new = 20, .retrans_new = 1 },
		{ .pid = 9, .comm = "curl", .failed = true },
	};
	struct metrics *m = metrics_new(5);
	struct snapshot s = interval(NULL, 0);
	char *t;

	(void)state;
	s.tcp = (struct tcp_snap){ .n = 3, .rows = live, .nfresh = 2, .fresh = fresh,
				   .closed_total = 4, .lost_total = 1 };
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_PROMETHEUS);
	assert_true(sample(t, "ebtop_tcp_sent_bytes_total{pid=\"9\",comm=\"curl\"}") == 111);
	assert_true(sample(t, "ebtop_tcp_received_bytes_total{pid=\"9\",comm=\"curl\"}") == 1020);
	assert_true(sample(t, "ebtop_tcp_connections{state=\"ESTABLISHED\"}") == 2);
	assert_true(sample(t, "ebtop_tcp_connections{state=\"LISTEN\"}") == 1);
	assert_true(sample(t, "ebtop_tcp_connections{state=\"TIME_WAIT\"}") == 0);
	assert_true(sample(t, "ebtop_tcp_closed_total") == 4);
	assert_true(sample(t, "ebtop_lost_events_total{probe=\"tcp\"}") == 1);
	assert_true(sample(t, "ebtop_tcp_retransmits_total{pid=\"9\",comm=\"curl\"}") == 3);
	assert_true(sample(t, "ebtop_tcp_connect_failures_total") == 1);
	/* each established connection's srtt, 3 us and 1.5 ms, once */
	assert_true(sample(t, "ebtop_tcp_rtt_seconds_bucket{le=\"0.000002\"}") == 0);
	assert_true(sample(t, "ebtop_tcp_rtt_seconds_bucket{le=\"0.000004\"}") == 1);
	assert_true(sample(t, "ebtop_tcp_rtt_seconds_bucket{le=\"0.001024\"}") == 1);
	assert_true(sample(t, "ebtop_tcp_rtt_seconds_bucket{le=\"0.002048\"}") == 2);
	assert_true(sample(t, "ebtop_tcp_rtt_seconds_count") == 2);
	assert_true(fabs(sample(t, "ebtop_tcp_rtt_seconds_sum") - 0.001503) < 1e-9);
	/* the process ran no CPU we saw: no cpu series for it */
	assert_int_equal(count_lines(t, "ebtop_cpu_seconds_total{"), 0);
	free(t);
	metrics_free(m);
}

/* Per cgroup: the CPU of its processes added up, its waits folded into
 * one histogram, labelled with the name and kind g shows; only the top
 * N cgroups by recent CPU, and none for processes of no known cgroup. */
static void cgroups(void **state)
{
	struct cpu_row rows[] = {
		{ .pid = 1, .oncpu_ns = 300000000, .comm = "web", .cgroup = "/system.slice/web.service" },
		{ .pid = 2, .oncpu_ns = 200000000, .comm = "web", .cgroup = "/system.slice/web.service" },
		{ .pid = 3, .oncpu_ns = 1000, .comm = "cron", .cgroup = "/system.slice/cron.service" },
		{ .pid = 4, .oncpu_ns = 5000000, .comm = "sh", .cgroup = "/user.slice/user-1000.slice/session-3.scope" },
	};
	struct runq_proc_row procs[] = {
		{ .pid = 1, .count = 2 }, { .pid = 2, .count = 1 }, { .pid = 9, .count = 4 },
	};
	struct metrics *m = metrics_new(2);
	struct snapshot s = interval(rows, 4);
	const char *web = "{cgroup=\"/system.slice/web.service\",name=\"web.service\",kind=\"service\"";
	char key[256], *t;

	(void)state;
	procs[0].hist[bucket_index(3)] = 2;    /* two 3 us waits */
	procs[1].hist[bucket_index(3000)] = 1; /* one 3 ms wait */
	procs[2].hist[bucket_index(3)] = 4;    /* pid 9: no cpu row, no cgroup */
	s.runq = (struct runq_snap){ .count = 7, .np = 3, .procs = procs };
	assert_int_equal(metrics_add(m, &s), 0);
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_PROMETHEUS);
	snprintf(key, sizeof(key), "ebtop_cgroup_cpu_seconds_total%s}", web);
	assert_true(sample(t, key) == 1.0);
	assert_true(sample(t, "ebtop_cgroup_cpu_seconds_total{cgroup=\"/user.slice/user-1000.slice/"
			      "session-3.scope\",name=\"session-3 (uid 1000)\",kind=\"session\"}") == 0.01);
	/* the third by CPU, cron, is past the top 2 */
	assert_int_equal(count_lines(t, "ebtop_cgroup_cpu_seconds_total{"), 2);
	snprintf(key, sizeof(key), "ebtop_cgroup_runq_latency_seconds_bucket%s,le=\"0.000004\"}", web);
	assert_true(sample(t, key) == 4);
	snprintf(key, sizeof(key), "ebtop_cgroup_runq_latency_seconds_bucket%s,le=\"0.004096\"}", web);
	assert_true(sample(t, key) == 6);
	snprintf(key, sizeof(key), "ebtop_cgroup_runq_latency_seconds_count%s}", web);
	assert_true(sample(t, key) == 6);
	assert_int_equal(count_lines(t, "ebtop_cgroup_runq_latency_seconds_sum"), 0);
	assert_null(strstr(t, "cgroup=\"?\""));
	free(t);
	metrics_free(m);
}

static void labels_escaped(void **state)
{
	struct cpu_row rows[] = {
		{ .pid = 5, .oncpu_ns = 1, .comm = "a\"b\\c\nd\xff", .cgroup = "/x\"y" },
	};
	struct metrics *m = metrics_new(5);
	struct snapshot s = interval(rows, 1);
	char *t;

	(void)state;
	assert_int_equal(metrics_add(m, &s), 0);
	t = render(m, METRICS_OPENMETRICS);
	/* quote and backslash escaped; the newline a visible \x0a (its
	 * backslash escaped too); the bad byte U+FFFD */
	assert_non_null(strstr(t, "comm=\"a\\\"b\\\\c\\\\x0ad\xef\xbf\xbd\",cgroup=\"/x\\\"y\"} "));
	free(t);
	metrics_free(m);
}

static void listen_addresses(void **state)
{
	struct listen_addr a;
	char err[256];

	(void)state;
	assert_int_equal(listen_parse("127.0.0.1:9435", &a, err, sizeof(err)), 0);
	assert_true(a.loopback);
	assert_int_equal(listen_parse("127.1.2.3:0", &a, err, sizeof(err)), 0);
	assert_true(a.loopback);
	assert_int_equal(listen_parse("localhost:80", &a, err, sizeof(err)), 0);
	assert_true(a.loopback);
	assert_int_equal(listen_parse("[::1]:9435", &a, err, sizeof(err)), 0);
	assert_true(a.loopback);
	assert_int_equal(listen_parse("[::ffff:127.0.0.1]:1", &a, err, sizeof(err)), 0);
	assert_true(a.loopback);
	assert_int_equal(listen_parse("0.0.0.0:9435", &a, err, sizeof(err)), 0);
	assert_false(a.loopback);
	assert_int_equal(listen_parse("10.1.2.3:65535", &a, err, sizeof(err)), 0);
	assert_false(a.loopback);
	assert_int_equal(listen_parse("[::]:9435", &a, err, sizeof(err)), 0);
	assert_false(a.loopback);
	static const char *const bad[] = {
		"", "9435", ":9435", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
		"127.0.0.1:-1", "127.0.0.1:9x", "127.0.0.1:123456", "::1:9435", "[::1]9435",
		"[::1", "[127.0.0.1]:1", "example.com:80", "1.2.3:80", "127.0.0.1:+80",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(listen_parse(bad[i], &a, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "give ADDR:PORT"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counters_add_up),
		cmocka_unit_test(probe_down_is_said),
		cmocka_unit_test(self_cost),
		cmocka_unit_test(top_n_and_exits),
		cmocka_unit_test(tcp_per_process),
		cmocka_unit_test(cgroups),
		cmocka_unit_test(labels_escaped),
		cmocka_unit_test(listen_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

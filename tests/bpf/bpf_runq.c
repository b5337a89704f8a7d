/* runq pane against the kernel: three threads spinning on one CPU wait
 * for each other, milliseconds at the p99; a thread on the other CPU that
 * sleeps and wakes waits far less than they do. Whatever else runs on the
 * machine, the spinners wait at least two slices of each other's, and the
 * sleeper waits for no more than what the machine adds on its CPU, so
 * the sleeper is compared with the spinners measured in the same run, not
 * with a fixed figure. The percentiles ebtop derives from its log-linear
 * buckets agree with the exact percentiles of the same samples (recorded
 * raw with EBTOP_RUNQ_SAMPLES=1) within one bucket's width. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double until;

static void *spin(void *arg)
{
	volatile unsigned long x = 0;

	pin_self(*(int *)arg);
	while (now_s() < until)
		x++;
	return NULL;
}

static pid_t contended(int cpu, double secs)
{
	pid_t pid = fork();
	pthread_t t[3];

	if (pid)
		return pid;
	until = now_s() + secs;
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, spin, &cpu);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	_exit(0);
}

static void sleep_wake(double secs)
{
	for (double end = now_s() + secs; now_s() < end;)
		usleep(1000);
}

static pid_t sleeper(int cpu, double secs)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	pin_self(cpu);
	sleep_wake(secs);
	_exit(0);
}

/* A sleeper that runs as this program for a while, then execs itself under
 * another name and goes on: its row must carry the new name. */
static pid_t renamed_sleeper(const char *link, double before, double after)
{
	pid_t pid = fork();
	char secs[32];

	if (pid)
		return pid;
	pin_self(0);
	sleep_wake(before);
	snprintf(secs, sizeof(secs), "%f", after);
	execl(link, link, "--sleep", secs, (char *)NULL);
	_exit(127);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* width of the log-linear bucket holding v us */
static double width(double v)
{
	return v < 8 ? 1 : exp2(floor(log2(v)) - 3);
}

static size_t rank_of(size_t n, double p)
{
	size_t i = (size_t)ceil(p / 100 * n);

	return i ? i - 1 : 0;
}

static void compare(cJSON *doc, pid_t pid, const char *who)
{
	cJSON *runq = cJSON_GetObjectItem(doc, "runq"), *it;
	cJSON *row = find_pid(doc, "runq", "processes", pid);
	double *v = malloc(sizeof(double) * (cJSON_GetArraySize(cJSON_GetObjectItem(runq, "samples")) + 1));
	size_t n = 0;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(runq, "samples"))
		if ((pid_t)cJSON_GetArrayItem(it, 0)->valuedouble == pid)
			v[n++] = cJSON_GetArrayItem(it, 1)->valuedouble / 1e3;
	if (!check(row && n > 10, "%s: ebtop row and %zu raw samples", who, n)) {
		free(v);
		return;
	}
	qsort(v, n, sizeof(*v), cmp);
	/* The raw samples and the histogram are read a few microseconds apart,
	 * so the two sets may differ by a sample or two: the exact value is
	 * taken as the order statistics within 2 ranks of the percentile. */
	for (int k = 0; k < 2; k++) {
		double p = k ? 99 : 50, got = num(row, k ? "p99_us" : "p50_us");
		size_t r = rank_of(n, p);
		double lo = v[r >= 2 ? r - 2 : 0], hi = v[r + 2 < n ? r + 2 : n - 1];

		check(got >= lo - width(lo) - 1e-9 && got <= hi + width(hi) + 1e-9,
		      "%s: p%.0f from buckets %.1f us vs exact %.1f us (ranks +/-2: %.1f..%.1f, "
		      "bucket width %.1f us)",
		      who, p, got, v[r], lo, hi, width(v[r]));
	}
	free(v);
}

/* The waits of a busy, an idle and a renamed process, label before each
 * check; the runq probe loaded as it is when ebtop starts. */
static void runq_case(const char *label, const char *link)
{
	char pids[64];
	const char *args[] = { "--json=-", "-d", "1", "-n", "2", "-p", pids, NULL };
	struct ebtop e;
	cJSON *doc, *last = NULL;
	pid_t busy, idle, renamed;
	char who[64];

	busy = contended(1, 3.5);
	idle = sleeper(0, 3.5);
	renamed = renamed_sleeper(link, 1.2, 2.3);
	snprintf(pids, sizeof(pids), "%d,%d,%d", busy, idle, renamed);
	usleep(200000);
	if (ebtop_start(&e, args)) {
		check(false, "%sstart ebtop", label);
		reap(busy); /* each ends by itself */
		reap(idle);
		reap(renamed);
		return;
	}
	while ((doc = ebtop_doc(&e))) {
		cJSON_Delete(last);
		last = doc;
	}
	check(ebtop_wait(&e) == 0, "%sebtop exits 0", label);
	cJSON *b = find_pid(last, "runq", "processes", busy);
	cJSON *i = find_pid(last, "runq", "processes", idle);

	check(b && num(b, "p99_us") >= 2000, "%s3 spinners on one CPU: p99 %.0f us (want >= 2 ms)",
	      label, b ? num(b, "p99_us") : -1);
	check(b && i && num(i, "p50_us") * 4 < num(b, "p50_us") && num(i, "p99_us") < num(b, "p99_us"),
	      "%sa sleeper waits less than the spinners: p50 %.0f us vs %.0f us (want < 1/4), "
	      "p99 %.0f us vs %.0f us (want less)", label,
	      i ? num(i, "p50_us") : -1, b ? num(b, "p50_us") : -1, i ? num(i, "p99_us") : -1,
	      b ? num(b, "p99_us") : -1);
	snprintf(who, sizeof(who), "%sspinners", label);
	compare(last, busy, who);
	snprintf(who, sizeof(who), "%ssleeper", label);
	compare(last, idle, who);
	cJSON *r = find_pid(last, "runq", "processes", renamed);
	const char *comm = r ? cJSON_GetStringValue(cJSON_GetObjectItem(r, "comm")) : NULL;

	check(comm && !strcmp(comm, "renamed-sleeper"),
	      "%sa process that exec'd is listed under its new name: '%s' (want 'renamed-sleeper')",
	      label, comm ? comm : "(no row)");
	cJSON_Delete(last);
	reap(busy);
	reap(idle);
	reap(renamed);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/ebtop-runq.XXXXXX", link[64], exe[4096];
	ssize_t len;

	if (argc == 3 && !strcmp(argv[1], "--sleep")) { /* the renamed sleeper */
		sleep_wake(atof(argv[2]));
		return 0;
	}

	if (geteuid() != 0) {
		skip("runq pane against the kernel", "needs root for BPF");
		return done();
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		skip("runq pane against the kernel", "needs 2 CPUs (one busy, one idle)");
		return done();
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len < 0 || !mkdtemp(dir) ||
	    (snprintf(link, sizeof(link), "%s/renamed-sleeper", dir), exe[len] = '\0',
	     symlink(exe, link))) {
		check(false, "symlink %s to this program", link);
		return done();
	}
	setenv("EBTOP_RUNQ_SAMPLES", "1", 1);
	runq_case("", link);
	/* the scheduler object with its runq part alone, as where the kernel
	 * refuses the cpu part (probes/sched.h) */
	setenv("EBTOP_FAIL_PROBE", "cpu", 1);
	runq_case("runq part alone: ", link);
	unsetenv("EBTOP_FAIL_PROBE");
	unlink(link);
	rmdir(dir);
	return done();
}

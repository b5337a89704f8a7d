/* cpu pane against the kernel: a spinner on one CPU shows 100% +/- 5, a
 * two-thread spinner about 200%, everything plus idle adds up to ncpus x
 * 100% within 5%, and ebtop agrees with /proc/PID/stat. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "harness.h"

/* utime + stime of a process, in seconds. */
static double proc_cpu_s(pid_t pid)
{
	char path[64];
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	/* comm has no spaces here; fields 14 and 15 */
	if (fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		ut = st = 0;
	fclose(f);
	return (ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* One spinner owns its CPU: 100 +/- 5. Two spinners on a 2-CPU box share
 * both CPUs with everything else that runs there (this harness, the
 * machine's own agents), so their absolute share varies: the exact check
 * for both is ebtop against /proc/PID/stat, interval by interval. */
static void spinner_case(int threads, double want, double tol)
{
	const char *args[] = { "--json=-", "-d", "1", "-n", "3", NULL };
	pid_t sp = spawn_spinner(threads, 5.5, true);
	struct ebtop e;
	double sum_ebtop = 0, t_first = -1, t_last = -1;
	int seen = 0, ndocs = 0;

	usleep(200000);
	if (ebtop_start(&e, args)) {
		check(false, "start ebtop");
		return;
	}
	for (cJSON *doc; (doc = ebtop_doc(&e)); cJSON_Delete(doc)) {
		cJSON *p = find_pid(doc, "cpu", "processes", sp);
		cJSON *cpu = cJSON_GetObjectItem(doc, "cpu");
		cJSON *it;
		double interval = num(cpu, "interval_s"), total = num(cpu, "idle_ns");
		int ncpus = num(cpu, "ncpus");

		/* a document arrives right after its collect: read /proc now, so
		 * both sides measure the same intervals (from the 2nd one on) */
		double t_prev = t_last;

		t_last = proc_cpu_s(sp);
		if (++ndocs == 1)
			t_first = t_last;
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(cpu, "processes"))
			total += num(it, "oncpu_ns");
		check(fabs(total / (interval * 1e9 * ncpus) - 1) < 0.05,
		      "interval %d: processes + idle = %.1f%% of %d cpus x 100%%", ndocs,
		      100 * total / (interval * 1e9 * ncpus), ncpus);
		if (p) {
			seen++;
			if (ndocs > 1) {
				double proc_pct = (t_last - t_prev) / interval * 100;

				sum_ebtop += num(p, "oncpu_ns") / 1e9;
				check(fabs(num(p, "cpu_pct") - proc_pct) <= 5,
				      "interval %d: ebtop %.1f%% vs /proc/PID/stat %.1f%%", ndocs,
				      num(p, "cpu_pct"), proc_pct);
			}
			if (!check(fabs(num(p, "cpu_pct") - want) <= tol,
				   "interval %d: %d-thread spinner at %.1f%%, want %.0f +/- %.0f", ndocs,
				   threads, num(p, "cpu_pct"), want, tol))
				cJSON_ArrayForEach(it, cJSON_GetObjectItem(cpu, "processes"))
					if (num(it, "cpu_pct") >= 1) /* who else ran */
						printf("#   %s (%d) %.1f%%\n",
						       cJSON_GetObjectItem(it, "comm")->valuestring,
						       (int)num(it, "pid"), num(it, "cpu_pct"));
		}
	}
	check(ebtop_wait(&e) == 0, "ebtop exits 0 after -n 3");
	check(ndocs == 3, "3 documents for -n 3 (got %d)", ndocs);
	check(seen == 3, "spinner pid %d present in every interval (%d of 3)", sp, seen);
	/* /proc counts in clock ticks (10 ms): allow 5% */
	check(t_first >= 0 && fabs(sum_ebtop - (t_last - t_first)) <= 0.05 * (t_last - t_first) + 0.02,
	      "intervals 2-3: ebtop's %.3f s on-CPU matches /proc/PID/stat's %.3f s",
	      sum_ebtop, t_last - t_first);
	reap(sp);
}

int main(void)
{
	if (geteuid() != 0) {
		skip("cpu pane against the kernel", "needs root for BPF");
		return done();
	}
	spinner_case(1, 100, 5);
	spinner_case(2, 200, 50); /* more than one CPU's worth: both threads ran */
	return done();
}

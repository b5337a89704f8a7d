/* Who made them wait, against the kernel. A victim (sleeps 1 ms, works
 * 50 us) and three hogs (80 ms bursts every second) share CPU 1, a
 * bystander spins on CPU 0; ebtop keeps these five as victims (-p):
 * - the hogs are the three who caused most delay, the bystander none;
 * - who delayed the victim names the hogs, and what everyone delayed it
 *   by adds up to its own wait as the kernel counts it
 *   (/proc/PID/schedstat) over the same refreshes, within 20%;
 * - whom a hog delayed lists the victim;
 * - who waited: the victim's slow waits (1 ms or more) are counted
 *   exactly (against the raw samples of EBTOP_RUNQ_SAMPLES), and the
 *   table lists the slow first;
 * - a victim sharing a CPU with one steady spinner has it as its top
 *   culprit. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"

#define DOCS 4 /* refreshes of 1 s measured, after the first */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void spin_for(double s)
{
	double end = now_s() + s;

	while (now_s() < end)
		;
}

/* A child on cpu running body until killed. */
static pid_t child(int cpu, void (*body)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		pin_self(cpu);
		body();
		_exit(0);
	}
	return pid;
}

static void victim_body(void)
{
	for (;;) {
		usleep(1000);
		spin_for(50e-6);
	}
}

static void hog_body(void)
{
	for (;;) {
		spin_for(0.08);
		usleep(920000);
	}
}

static void spinner_body(void)
{
	for (;;)
		spin_for(1);
}

/* run_delay of pid: the second field of /proc/PID/schedstat, ns. */
static double run_delay_ns(pid_t pid)
{
	char path[64];
	double ran = 0, waited = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%lf %lf", &ran, &waited) != 2)
			waited = -1;
		fclose(f);
	}
	return waited;
}

/* What the refreshes said, summed: per culprit pid, the delay it caused
 * the victims ebtop keeps; per (culprit, victim) pair, the same. */
struct sums {
	int victim;
	double slow, slow_samples;   /* the victim's, from its row and its samples */
	bool slow_first;             /* every table had its slow rows first */
	size_t n;
	struct pair {
		int culprit, victim;
		double caused_ns;
	} v[4096];
};

static void add_doc(struct sums *s, cJSON *doc)
{
	cJSON *runq = cJSON_GetObjectItem(doc, "runq"), *it;
	double prev = -1;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(runq, "processes")) {
		if ((int)num(it, "pid") == s->victim)
			s->slow += num(it, "slow");
		if (prev >= 0 && num(it, "slow") > prev)
			s->slow_first = false;
		prev = num(it, "slow");
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(runq, "samples"))
		if ((int)cJSON_GetArrayItem(it, 0)->valuedouble == s->victim &&
		    cJSON_GetArrayItem(it, 1)->valuedouble >= 1e6)
			s->slow_samples++;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "runq"), "delays")) {
		int c = (int)num(it, "culprit"), v = (int)num(it, "victim");
		size_t i = 0;

		while (i < s->n && !(s->v[i].culprit == c && s->v[i].victim == v))
			i++;
		if (i == s->n && s->n < sizeof(s->v) / sizeof(s->v[0]))
			s->v[s->n++] = (struct pair){ c, v, 0 };
		if (i < s->n)
			s->v[i].caused_ns += num(it, "caused_ns");
	}
}

/* caused by culprit (-1: anyone) to victim (-1: anyone) */
static double caused(const struct sums *s, int culprit, int victim)
{
	double t = 0;

	for (size_t i = 0; i < s->n; i++)
		if ((culprit < 0 || s->v[i].culprit == culprit) && (victim < 0 || s->v[i].victim == victim))
			t += s->v[i].caused_ns;
	return t;
}

/* Run ebtop on pids for DOCS refreshes after the first; the victim's
 * run_delay grows by *waited meanwhile, read as each document comes
 * (right after its refresh; ebtop's exit takes longer). The victim is
 * stopped until the first refresh is done and through the last interval:
 * a wait that ends while a refresh reads the row and then the samples
 * would be counted in one document's row and the next one's samples, and
 * at either end of the run that next document is not there. */
static int measure(const char *pids, pid_t victim, struct sums *s, double *waited)
{
	const char *args[] = { "--json=-", "-d", "1", "-n", "5", "-v", "runq", "-p", pids, NULL };
	struct ebtop e;
	double before, last = -1;
	cJSON *doc;
	int n = 0;

	memset(s, 0, sizeof(*s));
	s->victim = victim;
	s->slow_first = true;
	setenv("EBTOP_RUNQ_SAMPLES", "1", 1);
	kill(victim, SIGSTOP);
	if (ebtop_start(&e, args))
		return -1;
	cJSON_Delete(ebtop_doc(&e)); /* the baseline */
	before = run_delay_ns(victim);
	kill(victim, SIGCONT);
	while ((doc = ebtop_doc(&e))) {
		last = run_delay_ns(victim);
		add_doc(s, doc);
		cJSON_Delete(doc);
		if (++n == DOCS - 1)
			kill(victim, SIGSTOP);
	}
	kill(victim, SIGCONT);
	*waited = last - before;
	return ebtop_wait(&e) == 0 && n == DOCS ? 0 : -1;
}

static void noisy_neighbour(void)
{
	pid_t victim = child(1, victim_body), hogs[3], bystander = child(0, spinner_body);
	char pids[96];
	struct sums s;
	double waited, all, least_hog = -1;

	for (int i = 0; i < 3; i++)
		hogs[i] = child(1, hog_body);
	snprintf(pids, sizeof(pids), "%d,%d,%d,%d,%d", victim, hogs[0], hogs[1], hogs[2], bystander);
	usleep(300000);
	if (check(measure(pids, victim, &s, &waited) == 0, "noisy neighbour: %d refreshes of ebtop", DOCS)) {
		for (int i = 0; i < 3; i++) {
			double c = caused(&s, hogs[i], -1);

			least_hog = least_hog < 0 || c < least_hog ? c : least_hog;
		}
		check(least_hog > caused(&s, victim, -1) && least_hog > caused(&s, bystander, -1),
		      "the three hogs caused the most delay: the least of them %.1f ms, the victim %.1f ms, "
		      "the bystander %.1f ms", least_hog / 1e6, caused(&s, victim, -1) / 1e6,
		      caused(&s, bystander, -1) / 1e6);
		check(caused(&s, bystander, -1) == 0, "the bystander, alone on its CPU, caused nothing");
		for (int i = 0; i < 3; i++)
			check(caused(&s, hogs[i], victim) > 0,
			      "who delayed the victim names hog %d: %.1f ms; whom it delayed lists the victim",
			      i + 1, caused(&s, hogs[i], victim) / 1e6);
		all = caused(&s, -1, victim);
		check(s.slow > 0 && s.slow == s.slow_samples,
		      "who waited: the victim's slow waits %.0f, as many as its samples of 1 ms or more (%.0f)",
		      s.slow, s.slow_samples);
		check(s.slow_first, "who waited: the slow listed first in every refresh");
		check(waited > 0 && all > waited * 0.8 && all < waited * 1.2,
		      "what delayed the victim adds up to %.1f ms, its own wait (schedstat) %.1f ms: within 20%%",
		      all / 1e6, waited / 1e6);
	}
	kill(victim, SIGKILL);
	kill(bystander, SIGKILL);
	for (int i = 0; i < 3; i++)
		kill(hogs[i], SIGKILL);
	reap(victim);
	reap(bystander);
	for (int i = 0; i < 3; i++)
		reap(hogs[i]);
}

static void steady_spinner(void)
{
	pid_t victim = child(1, victim_body), spinner = child(1, spinner_body);
	char pids[32];
	struct sums s;
	double waited, top = 0;
	int top_pid = 0;

	snprintf(pids, sizeof(pids), "%d", victim);
	usleep(300000);
	if (check(measure(pids, victim, &s, &waited) == 0, "one spinner: %d refreshes of ebtop", DOCS)) {
		for (size_t i = 0; i < s.n; i++)
			if (s.v[i].victim == victim && s.v[i].caused_ns > top) {
				top = s.v[i].caused_ns;
				top_pid = s.v[i].culprit;
			}
		check(top_pid == spinner, "the spinner (%d) is the victim's top culprit: %d, %.1f ms", spinner,
		      top_pid, top / 1e6);
	}
	kill(victim, SIGKILL);
	kill(spinner, SIGKILL);
	reap(victim);
	reap(spinner);
}

int main(void)
{
	if (geteuid() != 0) {
		skip("who made them wait", "needs root for BPF");
		return done();
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		skip("who made them wait", "needs two CPUs: the bystander's own and the shared one");
		return done();
	}
	noisy_neighbour();
	steady_spinner();
	return done();
}

/* sys pane against the kernel: a child makes exactly 200,000 getppid() and
 * 1,000 failing open() calls; ebtop, filtered to that child, reports exactly
 * those counts (summed over its intervals) and the errors. Then per-process
 * counts add up threads, and count processes that live for a moment. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "harness.h"

#define GETPPIDS 200000
#define OPENS 1000

#define THREADS 4
#define PER_THREAD 50000
#define SHORT_LIVED 20
#define PER_SHORT 1000

static void *calls(void *arg)
{
	for (long i = 0; i < (long)arg; i++)
		syscall(SYS_getppid);
	return NULL;
}

/* The second child: renames itself, runs THREADS threads of PER_THREAD
 * calls, then SHORT_LIVED children of PER_SHORT calls each, one at a time. */
static void threads_and_short_lives(int go)
{
	pthread_t t[THREADS];
	char c;

	prctl(PR_SET_NAME, "sys-renamed");
	if (read(go, &c, 1) != 1)
		_exit(1);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, calls, (void *)(long)PER_THREAD);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < SHORT_LIVED; i++) {
		pid_t kid = fork();

		if (kid == 0) {
			calls((void *)(long)PER_SHORT);
			_exit(0);
		}
		waitpid(kid, NULL, 0);
	}
	pause(); /* until killed */
	_exit(0);
}

/* Per-process counts of a process with threads, and of its short-lived
 * children, which exit long before the refresh that reports them. how:
 * the way changed entries are read, for the labels. */
static void phase_threads(const char *how)
{
	int go[2];
	char pidbuf[16];
	const char *args[] = { "--json=-", "-d", "0.5", "-p", pidbuf, NULL };
	double own = 0, kids_total = 0;
	int kids = 0, kids_exact = 0;
	const char *comm = NULL;
	char commbuf[16] = "";
	struct ebtop e;
	cJSON *doc;
	pid_t child;

	if (pipe(go))
		return;
	child = fork();
	if (child == 0)
		threads_and_short_lives(go[0]);
	snprintf(pidbuf, sizeof(pidbuf), "%d", child);
	if (ebtop_start(&e, args)) {
		check(false, "start ebtop");
		return;
	}
	cJSON_Delete(ebtop_doc(&e));
	if (write(go[1], "g", 1) != 1)
		return;
	usleep(2500000);
	kill(e.pid, SIGTERM);
	while ((doc = ebtop_doc(&e))) {
		cJSON *it;

		cJSON_ArrayForEach(it, cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "sys"), "processes")) {
			int pid = (int)num(it, "pid");
			double n = num(it, "count");

			if (pid == child) {
				own += n;
				comm = cJSON_GetStringValue(cJSON_GetObjectItem(it, "comm"));
				snprintf(commbuf, sizeof(commbuf), "%s", comm ? comm : "");
			} else {
				kids++;
				kids_total += n;
				/* the fork's return in the child, the calls, nothing else */
				kids_exact += n >= PER_SHORT && n <= PER_SHORT + 3;
			}
		}
		cJSON_Delete(doc);
	}
	check(ebtop_wait(&e) == 0, "%s: ebtop exits 0", how);
	check(own >= THREADS * PER_THREAD && own <= THREADS * PER_THREAD + 200,
	      "%s: %d threads' %d calls each add up to the process: %.0f", how, THREADS,
	      PER_THREAD, own);
	check(!strcmp(commbuf, "sys-renamed"), "%s: the process's row has its current name: '%s'",
	      how, commbuf);
	check(kids == SHORT_LIVED && kids_exact == SHORT_LIVED,
	      "%s: %d short-lived children each counted once with their %d calls: %d rows, "
	      "%d exact, %.0f calls", how, SHORT_LIVED, PER_SHORT, kids, kids_exact, kids_total);
	kill(child, SIGKILL);
	reap(child);
}

/* Two processes on one CPU taking turns, each switch moving the CPU's
 * slot from one to the other (bpf/sys.h): each still has exactly its own
 * calls, summed over the intervals, none lost or counted twice. */
#define TURNS 400
#define PER_TURN 500

static void turns(int in, int out)
{
	char c;

	pin_self(0);
	for (int t = 0; t < TURNS; t++) {
		if (read(in, &c, 1) != 1)
			_exit(1);
		for (int i = 0; i < PER_TURN; i++)
			syscall(SYS_getppid);
		if (write(out, "t", 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static void phase_turns(void)
{
	int ab[2], ba[2];
	char list[40];
	const char *args[] = { "--json=-", "-d", "0.2", "-p", list, NULL };
	double got[2] = { 0, 0 };
	pid_t kid[2];
	struct ebtop e;
	cJSON *doc;

	if (pipe(ab) || pipe(ba))
		return;
	if ((kid[0] = fork()) == 0)
		turns(ba[0], ab[1]);
	if ((kid[1] = fork()) == 0)
		turns(ab[0], ba[1]);
	snprintf(list, sizeof(list), "%d,%d", kid[0], kid[1]);
	if (ebtop_start(&e, args)) {
		check(false, "start ebtop");
		return;
	}
	cJSON_Delete(ebtop_doc(&e));
	if (write(ba[1], "g", 1) != 1) /* the first turn is kid 0's */
		return;
	reap(kid[0]);
	reap(kid[1]);
	usleep(500000);
	kill(e.pid, SIGTERM);
	while ((doc = ebtop_doc(&e))) {
		for (int k = 0; k < 2; k++) {
			cJSON *row = find_pid(doc, "sys", "processes", kid[k]);

			if (row)
				got[k] += num(row, "count");
		}
		cJSON_Delete(doc);
	}
	check(ebtop_wait(&e) == 0, "turns: ebtop exits 0");
	/* each turn: the calls, a read and a write; a few before the first
	 * (pinning), if ebtop was there already */
	for (int k = 0; k < 2; k++)
		check(got[k] >= TURNS * (PER_TURN + 2) && got[k] <= TURNS * (PER_TURN + 2) + 10,
		      "turns: process %d of 2 on one CPU has its %d calls and %d reads and writes: "
		      "%.0f", k + 1, TURNS * PER_TURN, 2 * TURNS, got[k]);
}

int main(void)
{
	int go[2], fin[2];
	char pidbuf[16], c;
	const char *args[] = { "--json=-", "-d", "0.5", "-p", pidbuf, NULL };
	double getppid_n = 0, openat_n = 0, openat_err = 0, proc_n = 0;
	struct ebtop e;
	cJSON *doc;
	pid_t child;

	if (geteuid() != 0) {
		skip("sys pane against the kernel", "needs root for BPF");
		return done();
	}
	if (pipe(go) || pipe(fin))
		return 1;
	child = fork();
	if (child == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		for (int i = 0; i < GETPPIDS; i++)
			syscall(SYS_getppid); /* not the libc wrapper: no caching, ever */
		for (int i = 0; i < OPENS; i++)
			open("/nonexistent/ebtop-sys-test", O_RDONLY);
		if (read(fin[0], &c, 1) != 1) /* stay alive until told */
			_exit(1);
		_exit(0);
	}
	snprintf(pidbuf, sizeof(pidbuf), "%d", child);
	if (ebtop_start(&e, args)) {
		check(false, "start ebtop");
		return done();
	}
	cJSON_Delete(ebtop_doc(&e)); /* attached and running */
	if (write(go[1], "g", 1) != 1)
		return 1;
	usleep(2500000);
	kill(e.pid, SIGTERM); /* flushes the partial interval */
	while ((doc = ebtop_doc(&e))) {
		cJSON *sys = cJSON_GetObjectItem(doc, "sys"), *it, *p;

		cJSON_ArrayForEach(it, cJSON_GetObjectItem(sys, "syscalls")) {
			const char *name = cJSON_GetObjectItem(it, "name")->valuestring;

			if (!strcmp(name, "getppid"))
				getppid_n += num(it, "count");
			if (!strcmp(name, "openat")) {
				openat_n += num(it, "count");
				openat_err += num(it, "errors");
			}
		}
		if ((p = find_pid(doc, "sys", "processes", child)))
			proc_n += num(p, "count");
		cJSON_Delete(doc);
	}
	check(ebtop_wait(&e) == 0, "ebtop exits 0");
	check(getppid_n == GETPPIDS, "getppid count %.0f == %d", getppid_n, GETPPIDS);
	check(openat_n == OPENS, "openat count %.0f == %d", openat_n, OPENS);
	check(openat_err == OPENS, "openat errors %.0f == %d", openat_err, OPENS);
	check(proc_n >= GETPPIDS + OPENS && proc_n <= GETPPIDS + OPENS + 5,
	      "the child's own total %.0f is its %d calls (+ the read that released it)", proc_n,
	      GETPPIDS + OPENS);
	if (write(fin[1], "f", 1) != 1)
		return 1;
	reap(child);
	phase_threads("gathered in one program run");
	/* where the kernel cannot run the gatherer: a lookup syscall per key */
	setenv("EBTOP_FAIL_PROBE", "gather", 1);
	phase_threads("one lookup per key");
	unsetenv("EBTOP_FAIL_PROBE");
	phase_turns();
	return done();
}

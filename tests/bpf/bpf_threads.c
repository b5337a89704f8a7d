/* Threads against the kernel (--threads): a process of three threads, two
 * spinning and one sleeping, is listed as three threads of its pid, each
 * with its own name; the spinners ran, the sleeper hardly; and the three
 * add up to the process's own row. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include "harness.h"

static void *spin(void *arg)
{
	volatile unsigned long x = 0;

	prctl(PR_SET_NAME, (unsigned long)arg);
	for (;;)
		x++;
	return NULL;
}

static void *doze(void *arg)
{
	prctl(PR_SET_NAME, (unsigned long)arg);
	for (;;)
		usleep(200000);
	return NULL;
}

static pid_t three_threads(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t t[2];

		pthread_create(&t[0], NULL, spin, "e2e-spin-a");
		pthread_create(&t[1], NULL, spin, "e2e-spin-b");
		doze("e2e-doze"); /* the main thread */
	}
	return pid;
}

static cJSON *thread_named(cJSON *doc, int pid, const char *name)
{
	cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "cpu"), "threads"))
		if ((int)num(it, "pid") == pid && !strcmp(cJSON_GetObjectItem(it, "comm")->valuestring, name))
			return it;
	return NULL;
}

int main(void)
{
	char pids[16];
	const char *args[] = { "--json=-", "-d", "1", "-n", "4", "--threads", "-p", pids, NULL };
	struct ebtop e;
	pid_t pid;
	cJSON *doc;
	int docs = 0, listed = 0, summed = 0, ran = 0;

	if (geteuid() != 0) {
		skip("threads against the kernel", "needs root for BPF");
		return done();
	}
	pid = three_threads();
	snprintf(pids, sizeof(pids), "%d", pid);
	usleep(200000);
	if (ebtop_start(&e, args)) {
		check(false, "start ebtop");
		return done();
	}
	cJSON_Delete(ebtop_doc(&e)); /* the baseline */
	while ((doc = ebtop_doc(&e))) {
		cJSON *a = thread_named(doc, pid, "e2e-spin-a"), *b = thread_named(doc, pid, "e2e-spin-b");
		cJSON *z = thread_named(doc, pid, "e2e-doze"), *proc = find_pid(doc, "cpu", "processes", pid);
		int mine = 0;
		cJSON *it;

		docs++;
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "cpu"), "threads"))
			mine += (int)num(it, "pid") == pid;
		listed += a && b && z && mine == 3 && num(z, "tid") == pid;
		if (a && b && z && proc) {
			double sum = num(a, "oncpu_ns") + num(b, "oncpu_ns") + num(z, "oncpu_ns");
			double whole = num(proc, "oncpu_ns");

			/* a running thread's own clock moves at ticks: a few ms */
			summed += whole > 0 && sum > whole * 0.97 && sum < whole * 1.03;
			ran += num(a, "oncpu_ns") > 10 * num(z, "oncpu_ns") &&
			       num(b, "oncpu_ns") > 10 * num(z, "oncpu_ns");
			printf("# threads %.0f + %.0f + %.0f = %.0f ns, the process %.0f\n", num(a, "oncpu_ns"),
			       num(b, "oncpu_ns"), num(z, "oncpu_ns"), sum, whole);
		}
		cJSON_Delete(doc);
	}
	check(ebtop_wait(&e) == 0 && docs == 3, "ebtop wrote 3 documents after the baseline: %d", docs);
	check(listed == docs, "three threads of the process in every one, by name, the main one's tid its pid");
	check(ran == docs, "the spinners ran more than ten times what the sleeper did");
	check(summed == docs, "the three add up to the process's row within 3%%, every refresh");
	kill(pid, SIGKILL);
	reap(pid);
	return done();
}

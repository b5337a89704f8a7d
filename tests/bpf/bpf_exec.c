/* exec pane against the kernel: a storm of 5,000 execs with unique argv from
 * two parallel forkers is captured completely; a tiny ring buffer reports
 * its losses exactly (seen + lost = 5,000); failed execs carry their errno;
 * an argv over the bound is marked truncated. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "harness.h"

#define STORM 5000

static void forker(int from, int to)
{
	for (int i = from; i < to; i++) {
		char arg[32];
		pid_t pid;

		snprintf(arg, sizeof(arg), "storm-%d", i);
		pid = fork();
		if (pid == 0) {
			execl("/bin/true", "/bin/true", arg, (char *)NULL);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	}
	_exit(0);
}

static void storm(void)
{
	pid_t a = fork();

	if (a == 0)
		forker(0, STORM / 2);
	pid_t b = fork();

	if (b == 0)
		forker(STORM / 2, STORM);
	reap(a);
	reap(b);
}

/* Run ebtop filtered to this test's process tree around fn, then stop it
 * with SIGTERM (which flushes a last document). Returns all documents'
 * exec events in one array, and the summed lost count. */
static cJSON *capture(void (*fn)(void), const char *ringbuf, long *lost)
{
	char pid[16];
	const char *args[] = { "--json=-", "-d", "0.5", "-p", pid, NULL };
	cJSON *all = cJSON_CreateArray(), *doc;
	struct ebtop e;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (ringbuf)
		setenv("EBTOP_EXEC_RINGBUF", ringbuf, 1);
	else
		unsetenv("EBTOP_EXEC_RINGBUF");
	*lost = 0;
	if (ebtop_start(&e, args))
		return all;
	doc = ebtop_doc(&e); /* the first document: attached and running */
	cJSON_Delete(doc);
	fn();
	usleep(700000);
	kill(e.pid, SIGTERM);
	while ((doc = ebtop_doc(&e))) {
		cJSON *ex = cJSON_GetObjectItem(doc, "exec"), *ev, *next;

		*lost += num(ex, "lost");
		for (ev = cJSON_GetObjectItem(ex, "events")->child; ev; ev = next) {
			next = ev->next;
			cJSON_AddItemToArray(all, cJSON_DetachItemViaPointer(
							  cJSON_GetObjectItem(ex, "events"), ev));
		}
		cJSON_Delete(doc);
	}
	check(ebtop_wait(&e) == 0, "ebtop exits 0 on SIGTERM%s%s", ringbuf ? " with ring " : "",
	      ringbuf ? ringbuf : "");
	return all;
}

static int count_storm(cJSON *events, int *dups)
{
	static unsigned char seen[STORM];
	int n = 0;
	cJSON *ev;

	memset(seen, 0, sizeof(seen));
	*dups = 0;
	cJSON_ArrayForEach(ev, events) {
		cJSON *argv = cJSON_GetObjectItem(ev, "argv");
		cJSON *a1 = cJSON_GetArrayItem(argv, 1);
		int i;

		if (!cJSON_IsString(a1) || sscanf(a1->valuestring, "storm-%d", &i) != 1 || i < 0 ||
		    i >= STORM || num(ev, "ret") != 0)
			continue;
		if (seen[i]++)
			(*dups)++;
		else
			n++;
	}
	return n;
}

static void failing_and_long(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { "nope-arg", "second", NULL };
		static char big[120][101];
		char *long_argv[122];

		execv("/nonexistent/ebtop-test", argv); /* ENOENT, the child goes on */
		for (int i = 0; i < 120; i++) {
			memset(big[i], 'a' + i % 26, 100);
			long_argv[i + 1] = big[i];
		}
		long_argv[0] = "/bin/true";
		long_argv[121] = NULL;
		execv("/bin/true", long_argv);
		_exit(127);
	}
	reap(pid);
}

int main(void)
{
	cJSON *events, *ev;
	long lost;
	int seen, dups;
	bool failed_ok = false, long_ok = false;

	if (geteuid() != 0) {
		skip("exec pane against the kernel", "needs root for BPF");
		return done();
	}
	events = capture(storm, NULL, &lost);
	seen = count_storm(events, &dups);
	check(seen == STORM, "storm: %d of %d unique argv seen", seen, STORM);
	check(dups == 0, "storm: no exec reported twice (%d)", dups);
	check(lost == 0, "storm: lost = %ld", lost);
	cJSON_Delete(events);

	events = capture(storm, "4096", &lost);
	seen = count_storm(events, &dups);
	check(lost > 0, "4 KiB ring: the overflow is counted (lost = %ld)", lost);
	check(seen + lost == STORM, "4 KiB ring: seen %d + lost %ld = %d", seen, lost, STORM);
	cJSON_Delete(events);

	events = capture(failing_and_long, NULL, &lost);
	cJSON_ArrayForEach(ev, events) {
		cJSON *argv = cJSON_GetObjectItem(ev, "argv");
		const char *file = cJSON_GetObjectItem(ev, "filename")->valuestring;

		if (!strcmp(file, "/nonexistent/ebtop-test"))
			failed_ok = num(ev, "ret") == -ENOENT && cJSON_GetArraySize(argv) == 2 &&
				    !strcmp(cJSON_GetArrayItem(argv, 0)->valuestring, "nope-arg");
		if (!strcmp(file, "/bin/true") && cJSON_GetArraySize(argv) > 1 &&
		    strlen(cJSON_GetArrayItem(argv, 1)->valuestring) == 100)
			long_ok = cJSON_IsTrue(cJSON_GetObjectItem(ev, "truncated")) &&
				  cJSON_GetArraySize(argv) < 121 && cJSON_GetArraySize(argv) > 30;
	}
	check(failed_ok, "failed exec: ret -ENOENT, filename and argv reported");
	check(long_ok, "argv over 4 KiB: marked truncated, first arguments kept");
	cJSON_Delete(events);
	return done();
}

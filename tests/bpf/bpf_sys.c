/* sys pane against the kernel: a child makes exactly 200,000 getppid() and
 * 1,000 failing open() calls; ebtop, filtered to that child, reports exactly
 * those counts (summed over its intervals) and the errors. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "harness.h"

#define GETPPIDS 200000
#define OPENS 1000

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
	return done();
}

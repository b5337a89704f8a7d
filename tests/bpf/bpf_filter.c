/* Filters in the kernel: with a PID filter on worker A, worker B (same
 * program, same load) is absent from cpu, runq, sys, tcp and exec, while the children A
 * forks after the filter is set are included; without a filter both show.
 * A cgroup filter on a child cgroup shows a load in its grandchild and not
 * one outside. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "harness.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Spins, makes syscalls, and every 100 ms forks a child that execs
 * /bin/true TAG-N (and waits for it: run-queue waits on wakeup) and makes
 * a short loopback TCP connection. Waits for a byte on fd go first. */
static pid_t worker(const char *tag, double secs, int go)
{
	pid_t pid = fork();
	char c;

	if (pid)
		return pid;
	if (read(go, &c, 1) != 1)
		_exit(1);
	double end = now_s() + secs, next = 0;
	unsigned short port;
	int lfd = tcp_listen(AF_INET, &port);

	for (int n = 0; now_s() < end;) {
		syscall(SYS_getppid);
		if (now_s() >= next) {
			char arg[64];
			pid_t ch;

			snprintf(arg, sizeof(arg), "%s-%d", tag, n++);
			ch = fork();
			if (ch == 0) {
				execl("/bin/true", "/bin/true", arg, (char *)NULL);
				_exit(127);
			}
			waitpid(ch, NULL, 0);
			int cfd = tcp_connect(AF_INET, port), sfd = accept(lfd, NULL, NULL);

			if (cfd < 0 || sfd < 0 || send_all(cfd, 10) || recv_all(sfd, 10))
				_exit(1);
			close(cfd);
			close(sfd);
			next = now_s() + 0.1;
		}
	}
	_exit(0);
}

struct seen {
	bool cpu, runq, sys, tcp, exec;
};

static void scan(cJSON *doc, pid_t pid, const char *tag, struct seen *s)
{
	cJSON *ev;

	s->cpu |= find_pid(doc, "cpu", "processes", pid) != NULL;
	s->sys |= find_pid(doc, "sys", "processes", pid) != NULL;
	s->runq |= find_pid(doc, "runq", "processes", pid) != NULL;
	s->tcp |= find_pid(doc, "tcp", "closed", pid) != NULL;
	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "exec"), "events")) {
		cJSON *a1 = cJSON_GetArrayItem(cJSON_GetObjectItem(ev, "argv"), 1);

		if (cJSON_IsString(a1) && !strncmp(a1->valuestring, tag, strlen(tag)) &&
		    (pid_t)num(ev, "ppid") == pid)
			s->exec = true;
	}
}

static void run_pair(const char *filter_flag, bool filter_a)
{
	int go[2];
	char arg[32];
	const char *args[] = { "--json=-", "-d", "0.5", "-n", "4", filter_flag, arg, NULL };
	struct seen a = { 0 }, b = { 0 };
	struct ebtop e;
	pid_t pa, pb;
	cJSON *doc;

	if (pipe(go))
		return;
	pa = worker("fa", 2.5, go[0]);
	pb = worker("fb", 2.5, go[0]);
	snprintf(arg, sizeof(arg), "%d", pa);
	if (!filter_a)
		args[5] = NULL;
	if (ebtop_start(&e, args))
		return;
	if (write(go[1], "gg", 2) != 2)
		return;
	while ((doc = ebtop_doc(&e))) {
		scan(doc, pa, "fa-", &a);
		scan(doc, pb, "fb-", &b);
		cJSON_Delete(doc);
	}
	ebtop_wait(&e);
	reap(pa);
	reap(pb);
	close(go[0]);
	close(go[1]);
	const char *mode = filter_a ? "-p A" : "no filter";

	check(a.cpu && a.runq && a.sys && a.tcp, "%s: A in cpu, runq, sys and tcp (%d %d %d %d)", mode,
	      a.cpu, a.runq, a.sys, a.tcp);
	check(a.exec, "%s: execs by children A forked after the filter was set", mode);
	if (filter_a)
		check(!b.cpu && !b.runq && !b.sys && !b.tcp && !b.exec,
		      "%s: B absent from cpu, runq, sys, tcp, exec (%d %d %d %d %d)", mode, b.cpu,
		      b.runq, b.sys, b.tcp, b.exec);
	else
		check(b.cpu && b.runq && b.sys && b.tcp && b.exec,
		      "%s: B back in cpu, runq, sys, tcp, exec (%d %d %d %d %d)", mode, b.cpu, b.runq,
		      b.sys, b.tcp, b.exec);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -errno;
}

static void cgroup_case(void)
{
	const char *mnt = "/sys/fs/cgroup/unified";
	char base[128], child[160], grand[192], procs[256], pidtxt[16];
	const char *args[] = { "--json=-", "-d", "0.5", "-n", "3", "-c", NULL, NULL };
	bool in_seen = false, out_seen = false;
	struct ebtop e;
	cJSON *doc;
	pid_t in, out;

	if (access("/sys/fs/cgroup/unified/cgroup.procs", W_OK))
		mnt = "/sys/fs/cgroup";
	snprintf(base, sizeof(base), "%s/ebtop-test-%d", mnt, getpid());
	snprintf(child, sizeof(child), "%s/child", base);
	snprintf(grand, sizeof(grand), "%s/grandchild", child);
	if (mkdir(base, 0755) || mkdir(child, 0755) || mkdir(grand, 0755)) {
		skip("cgroup filter", "cannot create cgroup v2 directories");
		return;
	}
	in = spawn_spinner(1, 3, false);
	out = spawn_spinner(1, 3, false);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", grand);
	snprintf(pidtxt, sizeof(pidtxt), "%d", in);
	check(write_file(procs, pidtxt) == 0, "load moved into the grandchild cgroup");
	args[6] = child + strlen(mnt); /* relative to the cgroup2 mount */
	if (ebtop_start(&e, args) == 0) {
		while ((doc = ebtop_doc(&e))) {
			in_seen |= find_pid(doc, "cpu", "processes", in) != NULL;
			out_seen |= find_pid(doc, "cpu", "processes", out) != NULL;
			cJSON_Delete(doc);
		}
		check(ebtop_wait(&e) == 0, "ebtop -c %s exits 0", args[6]);
	}
	check(in_seen, "cgroup filter on the child: the grandchild's load is shown");
	check(!out_seen, "cgroup filter on the child: the load outside is not");
	reap(in);
	reap(out);
	rmdir(grand);
	rmdir(child);
	rmdir(base);
}

int main(void)
{
	if (geteuid() != 0) {
		skip("filters in the kernel", "needs root for BPF");
		return done();
	}
	run_pair("-p", true);
	run_pair("-p", false);
	cgroup_case();
	return done();
}

/* ebtop's own cost against the kernel: with --self the kernel's BPF stats
 * are on while ebtop runs (its programs' runs counted, as /proc shows
 * them) and off after; 200,000 getppid()
 * calls of this test show up in the sys probe's program runs (every
 * syscall on the machine runs it, so at least those); the map memory is
 * what /proc says of ebtop's map fds, and the RSS what /proc says of
 * ebtop. Without --self a document has no "self". */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "harness.h"

#define GETPPIDS 200000

static int stats_enabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static cJSON *probe_of(cJSON *doc, const char *name)
{
	cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "self"), "probes")) {
		const char *n = cJSON_GetStringValue(cJSON_GetObjectItem(it, "probe"));

		if (n && !strcmp(n, name))
			return it;
	}
	return NULL;
}

/* A sum over the BPF objects of one kind that pid holds, each once (by
 * id), of a field of their fdinfo: the kernel's own view, not ebtop's. */
static double fdinfo_sum(pid_t pid, const char *inode, const char *id_key, const char *key)
{
	char dir[64], path[320], target[64], line[128], k[64];
	unsigned ids[1024];
	size_t nids = 0;
	double sum = 0;
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	if (!(d = opendir(dir)))
		return -1;
	while ((e = readdir(d))) {
		unsigned long long v, value = 0;
		unsigned id = 0;
		bool dup = false;
		ssize_t n;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if ((n = readlink(path, target, sizeof(target) - 1)) < 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, inode))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, e->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%63[^:]: %llu", k, &v) == 2) {
				if (!strcmp(k, key))
					value = v;
				else if (!strcmp(k, id_key))
					id = (unsigned)v;
			}
		fclose(f);
		for (size_t i = 0; i < nids; i++)
			dup |= ids[i] == id;
		if (!dup && nids < 1024) {
			ids[nids++] = id;
			sum += value;
		}
	}
	closedir(d);
	return sum;
}

static double maps_of(pid_t pid)
{
	return fdinfo_sum(pid, "anon_inode:bpf-map", "map_id", "memlock");
}

static double runs_of(pid_t pid)
{
	return fdinfo_sum(pid, "anon_inode:bpf-prog", "prog_id", "run_cnt");
}

/* A plain ebtop (no --self) while this test makes its calls: the runs of
 * its programs the kernel counted, or -1. Its document has no "self". */
static double plain_runs(char *pidbuf)
{
	const char *plain[] = { "--json=-", "-n", "4", "-d", "0.3", "-p", pidbuf, NULL };
	struct ebtop e;
	double runs;
	cJSON *doc;

	if (ebtop_start(&e, plain))
		return -1;
	doc = ebtop_doc(&e);
	check(doc && !cJSON_GetObjectItem(doc, "self"), "without --self a document has no \"self\"");
	cJSON_Delete(doc);
	for (int i = 0; i < GETPPIDS; i++)
		syscall(SYS_getppid);
	runs = runs_of(e.pid);
	while ((doc = ebtop_doc(&e)))
		cJSON_Delete(doc);
	check(ebtop_wait(&e) == 0, "ebtop exits 0");
	return runs;
}

int main(void)
{
	char pidbuf[16];
	const char *args[] = { "--json=-", "--self", "-d", "0.5", "-p", pidbuf, NULL };
	double sys_before, sys_after, ns_after, maps, rss;
	int before = stats_enabled();
	bool others;
	cJSON *first, *last = NULL, *doc, *self, *sys;
	struct ebtop e;

	if (geteuid() != 0) {
		skip("ebtop's own cost against the kernel", "needs root for BPF");
		return done();
	}
	snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
	/* stats already on (the sysctl, or another tool's fd, as bpftop's):
	 * what follows --self cannot show them off */
	others = before == 1 || plain_runs(pidbuf) != 0;
	if (others)
		skip("after --self the kernel's BPF stats are off", "something else has them on");
	if (ebtop_start(&e, args)) {
		check(false, "start ebtop --self");
		return done();
	}
	first = ebtop_doc(&e); /* attached, and self read once before */
	self = cJSON_GetObjectItem(first, "self");
	check(cJSON_IsTrue(cJSON_GetObjectItem(self, "bpf_stats")),
	      "--self: the document says the kernel's BPF stats are on");
	check(runs_of(e.pid) > 0, "--self: the kernel counts the runs of ebtop's programs: %.0f",
	      runs_of(e.pid));
	sys = probe_of(first, "sys");
	sys_before = num(sys, "events");
	for (int i = 0; i < GETPPIDS; i++)
		syscall(SYS_getppid);
	usleep(600000);
	maps = maps_of(e.pid);
	rss = rss_kib(e.pid) * 1024.0;
	kill(e.pid, SIGTERM); /* a last document, collected after the calls */
	while ((doc = ebtop_doc(&e))) {
		cJSON_Delete(last);
		last = doc;
	}
	check(ebtop_wait(&e) == 0, "ebtop --self exits 0");
	self = cJSON_GetObjectItem(last, "self");
	sys = probe_of(last, "sys");
	sys_after = num(sys, "events");
	ns_after = num(sys, "bpf_ns");
	check(sys && sys_after - sys_before >= GETPPIDS,
	      "the sys probe's program ran for each of the %d calls at least: %.0f runs", GETPPIDS,
	      sys_after - sys_before);
	check(ns_after > num(probe_of(first, "sys"), "bpf_ns") && ns_after / sys_after < 100000,
	      "and took time, under 100 us a run: %.0f ns in %.0f runs", ns_after, sys_after);
	check(probe_of(last, "sched") && probe_of(last, "cpu") && probe_of(last, "tcp") &&
		      probe_of(last, "exec"),
	      "sched (cpu and runq's), cpu (its reader), tcp and exec have their programs' rows too");
	check(maps > 0 && num(self, "map_bytes") >= maps * 0.95 && num(self, "map_bytes") <= maps * 1.05,
	      "map memory %.0f is what /proc says of ebtop's map fds, %.0f (within 5%%)",
	      num(self, "map_bytes"), maps);
	check(rss > 0 && num(self, "rss_bytes") >= rss * 0.8 && num(self, "rss_bytes") <= rss * 1.25,
	      "RSS %.0f is what /proc says of ebtop, %.0f (within 25%%)", num(self, "rss_bytes"), rss);
	check(num(self, "cpu_ms_per_refresh") > 0 && num(self, "cpu_s") > 0,
	      "userspace CPU: %.3f ms a refresh, %.3f s in all", num(self, "cpu_ms_per_refresh"),
	      num(self, "cpu_s"));
	cJSON_Delete(first);
	cJSON_Delete(last);
	if (!others)
		check(plain_runs(pidbuf) == 0, "after --self the kernel's BPF stats are off: the next "
					       "ebtop's programs run uncounted");
	return done();
}

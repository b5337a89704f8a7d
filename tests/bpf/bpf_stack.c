/* Stack pane: on-CPU samples of a program with a known profile
 * (tests/load/hotcold.c: 75% of its CPU in hot_a, 25% in hot_b), shown
 * only it (-p), at 199 Hz so that a few seconds give hundreds of samples:
 * the shares within 7 points, every sample accounted for, the folded file
 * summing to what the documents reported, kernel frames named, and a
 * stripped copy's frames as module+offset, frames named in a binary
 * ebtop cannot open by its path (in another mount namespace, deleted, a
 * memfd), a stack deeper than the kernel
 * keeps marked [truncated], frames still named in the
 * interval the process exited in, and code in no file named from the perf
 * map its JIT wrote. Off-CPU (--offcpu): a program napping 200 ms at a
 * time under waits_here has its time blocked there. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "tests/bpf/harness.h"

struct profile {
	double samples, counted, lost, others;
	double with[4];      /* samples of stacks holding each wanted frame */
	double rootless;     /* samples holding a wanted frame but not the last */
	/* the last document with samples, named after the process exited */
	/* the last document with user stacks, named after the process exited:
	 * their samples, those with a user frame named, those with [unknown] */
	double last_user, last_named, last_unknown;
	int named_kernel;    /* kernel frames with a name */
	int offsets;         /* frames named module+0x... */
	int docs;
	double wall_ns;      /* from the start signal to the program's end */
	pid_t child;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static const char *load_path(void)
{
	static char path[4096];
	const char *t = getenv("TESTBIN");

	snprintf(path, sizeof(path), "%s/../load/hotcold", t ? t : "build/tests");
	return path;
}

/* How the program is started: from its path; from a copy in a tmpfs
 * mounted in a mount namespace of its own, where ebtop's view has nothing
 * at that path; from a copy deleted before it is sampled; from a memfd. */
enum launch { FROM_PATH, FROM_OWN_NS, FROM_DELETED, FROM_MEMFD };

static int copy_into(const char *src, int out)
{
	char buf[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (in < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			n = -1;
	close(in);
	return n < 0 ? -1 : 0;
}

/* The child's exec of prog MODE 3, as how says; dir: FROM_OWN_NS's. */
static void launch(enum launch how, const char *prog, const char *mode, const char *dir)
{
	/* started at a refresh (0.5 s apart), work ends between two: the
	 * interval it exits in is named after it is gone */
	char *const argv[] = { "hotcold", (char *)mode, strcmp(mode, "work") ? "3" : "3.25", NULL };
	char path[64];
	int fd;

	switch (how) {
	case FROM_OWN_NS: /* ebtop's view of dir stays empty */
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("none", dir, "tmpfs", 0, NULL))
			_exit(126);
		snprintf(path, sizeof(path), "%s/hotcold", dir);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755)) < 0 || copy_into(prog, fd))
			_exit(126);
		close(fd);
		execv(path, argv);
		break;
	case FROM_MEMFD:
		if ((fd = memfd_create("hotcold", 0)) < 0 || copy_into(prog, fd))
			_exit(126);
		fexecve(fd, argv, environ);
		break;
	default:
		execv(prog, argv);
	}
	_exit(127);
}

/* Run prog (hotcold MODE SECS) under ebtop --prof -p, adding up what the
 * documents say about it into p; frames: up to 4 names to look for, the
 * last one the root expected below each of the others. */
static int profile_how(enum launch how, const char *prog, const char *mode, const char *folded,
		       const char **frames, int nframes, struct profile *p)
{
	bool off = !strcmp(mode, "sleep");
	char dir[] = "/tmp/ebtop-ns-XXXXXX";
	int go[2];
	char pidbuf[16];
	const char *args[] = { "--json=-", "-d", "0.5", "--prof", "--prof-hz", "199", "-p", pidbuf,
			       off ? "--offcpu" : folded ? "--folded" : NULL, folded, NULL };
	struct ebtop e;
	cJSON *doc;
	pid_t child;

	memset(p, 0, sizeof(*p));
	if (pipe(go) || (how == FROM_OWN_NS && !mkdtemp(dir)))
		return -1;
	child = fork();
	if (child == 0) {
		dup2(go[0], 0);
		close(go[1]);
		launch(how, prog, mode, dir);
	}
	close(go[0]);
	if (!folded)
		args[9] = NULL;
	snprintf(pidbuf, sizeof(pidbuf), "%d", child);
	p->child = child;
	if (ebtop_start(&e, args))
		return -1;
	cJSON_Delete(ebtop_doc(&e)); /* sampling */
	if (how == FROM_DELETED)
		unlink(prog); /* before its first sample is named */
	if (write(go[1], "g", 1) != 1)
		return -1;
	close(go[1]);
	p->wall_ns = now_ns();
	reap(child);
	p->wall_ns = now_ns() - p->wall_ns;
	if (how == FROM_OWN_NS)
		rmdir(dir);
	/* past a refresh: the samples of the process's last moments are
	 * named after it is gone */
	usleep(700 * 1000);
	kill(e.pid, SIGTERM); /* flushes the partial interval */
	while ((doc = ebtop_doc(&e))) {
		cJSON *st = cJSON_GetObjectItem(doc, "stack"), *row, *f;
		double user = 0, named_user = 0, unknown_user = 0;

		p->docs++;
		p->samples += num(st, "samples");
		p->lost += num(st, "lost");
		p->others += num(st, "others");
		cJSON_ArrayForEach(row, cJSON_GetObjectItem(st, "stacks")) {
			double n = num(row, off ? "ns" : "count");
			bool has[4] = { 0 }, unknown = false, named = false, in_user = false;

			p->counted += n;
			cJSON_ArrayForEach(f, cJSON_GetObjectItem(row, "frames")) {
				const char *name = cJSON_GetStringValue(f);
				size_t len = name ? strlen(name) : 0;

				if (!name)
					continue;
				/* [lost]: the kernel kept no user stack to name */
				in_user |= !(len > 4 && !strcmp(name + len - 4, "_[k]")) && strcmp(name, "[lost]");
				unknown |= !strcmp(name, "[unknown]");
				named |= name[0] != '[' && !strstr(name, "+0x") &&
					 !(len > 4 && !strcmp(name + len - 4, "_[k]"));
				for (int i = 0; i < nframes; i++)
					has[i] |= !strcmp(name, frames[i]);
				if (len > 4 && !strcmp(name + len - 4, "_[k]") && strncmp(name, "kernel+0x", 9) &&
				    strncmp(name, "[lost]", 6))
					p->named_kernel++;
				if (strstr(name, "+0x") && !strncmp(name, "hotcold", 7))
					p->offsets++;
			}
			for (int i = 0; i < nframes; i++)
				p->with[i] += has[i] ? n : 0;
			if (in_user) {
				user += n;
				named_user += named ? n : 0;
				unknown_user += unknown ? n : 0;
			}
			for (int i = 0; i < nframes - 1; i++)
				if (has[i] && !has[nframes - 1]) {
					p->rootless += n;
					break;
				}
		}
		if (user > 0) {
			p->last_user = user;
			p->last_named = named_user;
			p->last_unknown = unknown_user;
		}
		cJSON_Delete(doc);
	}
	return ebtop_wait(&e);
}

static int profile_of(const char *prog, const char *mode, const char *folded, const char **frames,
		      int nframes, struct profile *p)
{
	return profile_how(FROM_PATH, prog, mode, folded, frames, nframes, p);
}

/* The folded file: each line "comm;frame;... count"; the counts added. */
static double folded_sum(const char *path, int *lines, int *bad)
{
	FILE *f = fopen(path, "r");
	char line[65536];
	double sum = 0;

	*lines = *bad = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *sp = strrchr(line, ' ');

		(*lines)++;
		if (!sp || !strchr(line, ';') || atof(sp + 1) <= 0)
			(*bad)++;
		else
			sum += atof(sp + 1);
	}
	fclose(f);
	return sum;
}

int main(void)
{
	const char *work[] = { "hot_a", "hot_b", "main" };
	char folded[] = "/tmp/ebtop-folded.XXXXXX", stripped[] = "/tmp/hotcold.XXXXXX";
	struct profile p;
	int lines, bad, fd;
	double sum, a, b;
	char cmd[8192];

	if (geteuid() != 0) {
		skip("stack pane against the kernel", "needs root for BPF");
		return done();
	}
	if (access(load_path(), X_OK)) {
		check(false, "the load program %s is built", load_path());
		return done();
	}
	fd = mkstemp(folded);
	close(fd);
	check(profile_of(load_path(), "work", folded, work, 3, &p) == 0, "ebtop exits 0");
	a = p.samples ? 100 * p.with[0] / p.samples : 0;
	b = p.samples ? 100 * p.with[1] / p.samples : 0;
	check(p.samples >= 300, "hundreds of samples of the process (%.0f in %d documents)", p.samples,
	      p.docs);
	check(a > 68 && a < 82, "hot_a has %.1f%% of the samples (75 +- 7)", a);
	check(b > 18 && b < 32, "hot_b has %.1f%% of the samples (25 +- 7)", b);
	check(p.with[0] + p.with[1] > 0 && p.rootless == 0,
	      "main is below hot_a and hot_b in every sample (%.0f of %.0f without it)", p.rootless,
	      p.with[0] + p.with[1]);
	/* its user stacks of the last interval (exit's own last samples, past
	 * the release of its memory, are the kernel's alone) */
	check(p.last_user > 0 && p.last_named == p.last_user && p.last_unknown == 0,
	      "the interval it exited in: frames still named (%.0f of %.0f user stacks named, %.0f "
	      "[unknown])", p.last_named, p.last_user, p.last_unknown);
	check(p.counted + p.lost + p.others == p.samples,
	      "every sample is in a stack, past the top, or counted lost (%.0f + %.0f + %.0f = %.0f)",
	      p.counted, p.others, p.lost, p.samples);
	sum = folded_sum(folded, &lines, &bad);
	check(lines > 0 && !bad, "--folded wrote %d lines of comm;frames count (%d malformed)", lines,
	      bad);
	check(sum == p.counted, "the folded counts add up to the stacks' samples (%.0f == %.0f)", sum,
	      p.counted);
	unlink(folded);

	const char *reads[] = { "main" };

	check(profile_of(load_path(), "read", NULL, reads, 1, &p) == 0, "read: ebtop exits 0");
	check(p.samples >= 300 && p.with[0] > p.samples / 2,
	      "read: most samples under main (%.0f of %.0f, %d documents)", p.with[0], p.samples, p.docs);
	check(p.named_kernel > 0, "read: kernel frames have names (%d)", p.named_kernel);

	fd = mkstemp(stripped);
	close(fd);
	snprintf(cmd, sizeof(cmd), "strip -o %s %s && chmod 755 %s", stripped, load_path(), stripped);
	if (system(cmd)) {
		check(false, "strip a copy of the load program");
		return done();
	}
	check(profile_of(stripped, "work", NULL, work, 3, &p) == 0, "stripped: ebtop exits 0");
	check(p.offsets > 0 && p.with[0] == 0,
	      "stripped: its frames are module+0x... (%d), none named hot_a", p.offsets);
	unlink(stripped);

	/* binaries ebtop cannot open by the path in the maps */
	static const struct {
		enum launch how;
		const char *what;
	} away[] = {
		{ FROM_OWN_NS, "in its own mount namespace (through /proc/PID/root)" },
		{ FROM_DELETED, "deleted (through /proc/PID/map_files)" },
		{ FROM_MEMFD, "a memfd (through /proc/PID/map_files)" },
	};
	char copy[] = "/tmp/hotcold-del.XXXXXX";

	for (size_t i = 0; i < sizeof(away) / sizeof(away[0]); i++) {
		const char *prog = load_path();

		if (away[i].how == FROM_DELETED) {
			if ((fd = mkstemp(copy)) < 0 || copy_into(load_path(), fd) || fchmod(fd, 0755))
				check(false, "a copy to delete");
			close(fd);
			prog = copy;
		}
		int err = profile_how(away[i].how, prog, "work", NULL, work, 3, &p);

		check(!err && p.samples >= 300 && p.with[0] > 0.6 * p.samples,
		      "%s: hot_a named (%.0f of %.0f samples)", away[i].what, p.with[0], p.samples);
	}

	const char *deep[] = { "[truncated]", "spin" };

	check(profile_of(load_path(), "deep", NULL, deep, 2, &p) == 0, "deep: ebtop exits 0");
	check(p.samples >= 300 && p.with[0] > 0.8 * p.samples && p.with[1] > 0.8 * p.samples,
	      "deep: 200 calls down, its stacks marked [truncated] (%.0f), spin still seen (%.0f), of "
	      "%.0f", p.with[0], p.with[1], p.samples);

#if defined(__x86_64__)
	const char *jits[] = { "jitted_hot" };
	char perfmap[64];

	check(profile_of(load_path(), "jit", NULL, jits, 1, &p) == 0, "jit: ebtop exits 0");
	check(p.samples >= 300 && p.with[0] > 0.8 * p.samples,
	      "jit: code in no file, named from its /tmp/perf-PID.map (%.0f of %.0f samples)", p.with[0],
	      p.samples);
	snprintf(perfmap, sizeof(perfmap), "/tmp/perf-%d.map", p.child);
	unlink(perfmap);
#else
	skip("jit: a perf map's code", "the load program writes x86-64 code only");
#endif

	const char *sleeps[] = { "waits_here" };

	check(profile_of(load_path(), "sleep", NULL, sleeps, 1, &p) == 0, "off-CPU: ebtop exits 0");
	check(p.with[0] > 0.9 * p.wall_ns && p.with[0] < 1.1 * p.wall_ns,
	      "off-CPU: time blocked under waits_here %.0f ms is the wall time %.0f ms +- 10%%",
	      p.with[0] / 1e6, p.wall_ns / 1e6);
	check(p.samples >= 12 && p.samples <= 17, "off-CPU: 3 s of 200 ms naps: %.0f blocks counted",
	      p.samples);
	return done();
}

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes/procfs.h"
#include "probes/proctrack.h"
#include "probes/snapshot.h"

/* what is kept of a command line: the screen shows less */
#define CMDLINE_MAX 4096

struct entry {
	uint32_t pid, ppid;
	char comm[16];
	char *cmd;
	float trend[CPU_TREND];
	uint8_t ntrend;
};

/* the processes of the last refresh, by pid */
static struct entry *cache;
static size_t ncache;

/* the owners' cgroups of the last refresh, by pid: a connection's owner
 * is read from /proc once, not every refresh */
static struct pid_cgroup *owners;
static size_t nowners;

static int by_pid(const void *a, const void *b)
{
	uint32_t x = ((const struct entry *)a)->pid, y = ((const struct entry *)b)->pid;

	return (x > y) - (x < y);
}

static char *read_cmdline(uint32_t pid, const char *comm)
{
	char path[64], *buf = malloc(CMDLINE_MAX + 1);
	ssize_t n = -1;
	int fd;

	if (!buf)
		return NULL;
	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) { /* gone: its name */
		snprintf(buf, CMDLINE_MAX + 1, "%s", comm);
		return buf;
	}
	n = read(fd, buf, CMDLINE_MAX);
	close(fd);
	if (n <= 0) { /* no arguments: a kernel thread (or a zombie), as ps shows it */
		snprintf(buf, CMDLINE_MAX + 1, "[%s]", comm);
		return buf;
	}
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	return buf;
}

unsigned stat_ppid(const char *stat)
{
	const char *p = strrchr(stat, ')');
	char state;
	unsigned ppid;

	return p && sscanf(p + 1, " %c %u", &state, &ppid) == 2 ? ppid : 0;
}

static uint32_t read_ppid(uint32_t pid)
{
	char path[64], buf[512];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return stat_ppid(buf);
}

void proctrack_fill(struct snapshot *s)
{
	struct entry *next = s->cpu.n ? calloc(s->cpu.n, sizeof(*next)) : NULL;
	size_t n = 0;

	for (size_t i = 0; i < s->cpu.n; i++) {
		struct cpu_row *r = &s->cpu.rows[i];
		struct entry key = { .pid = r->pid }, *old;
		const char *cmd;

		old = ncache ? bsearch(&key, cache, ncache, sizeof(key), by_pid) : NULL;
		if (old && old->cmd && !strcmp(old->comm, r->comm)) {
			cmd = old->cmd;
			old->cmd = NULL; /* moved on */
			r->ppid = old->ppid;
			memcpy(r->trend, old->trend + 1, sizeof(r->trend) - sizeof(r->trend[0]));
			r->ntrend = old->ntrend < CPU_TREND ? old->ntrend + 1 : CPU_TREND;
		} else {
			cmd = read_cmdline(r->pid, r->comm);
			r->ppid = read_ppid(r->pid);
			memset(r->trend, 0, sizeof(r->trend));
			r->ntrend = 1;
		}
		r->trend[CPU_TREND - 1] = (float)r->pct; /* oldest first, this refresh last */
		free(r->cmdline);
		r->cmdline = cmd ? strdup(cmd) : NULL;
		if (next && cmd) {
			next[n].pid = r->pid;
			next[n].ppid = r->ppid;
			memcpy(next[n].trend, r->trend, sizeof(r->trend));
			next[n].ntrend = r->ntrend;
			memcpy(next[n].comm, r->comm, sizeof(next[n].comm));
			next[n++].cmd = (char *)cmd;
		} else {
			free((char *)cmd);
		}
	}
	proctrack_free();
	cache = next;
	ncache = n;
	if (ncache)
		qsort(cache, ncache, sizeof(*cache), by_pid);
}

void proctrack_free(void)
{
	for (size_t i = 0; i < ncache; i++)
		free(cache[i].cmd);
	free(cache);
	cache = NULL;
	ncache = 0;
}

void proctrack_free_owners(void)
{
	for (size_t i = 0; i < nowners; i++)
		free(owners[i].path);
	free(owners);
	owners = NULL;
	nowners = 0;
}

static int by_owner(const void *a, const void *b)
{
	uint32_t x = ((const struct pid_cgroup *)a)->pid, y = ((const struct pid_cgroup *)b)->pid;

	return (x > y) - (x < y);
}

void proctrack_owners(struct snapshot *s)
{
	struct pid_cgroup *next = calloc(s->tcp.n + 1, sizeof(*next));
	size_t n = 0, kept = 0;

	for (size_t i = 0; next && i < s->tcp.n; i++)
		next[n++].pid = s->tcp.rows[i].pid;
	n = next ? snapshot_owners_needed(s, next, n) : 0;
	for (size_t i = 0; i < n; i++) {
		struct pid_cgroup *old = nowners ? bsearch(&next[i], owners, nowners, sizeof(*owners),
							   by_owner) : NULL;
		char path[4096];

		if (old && old->path) {
			next[i].path = old->path;
			old->path = NULL;
		} else if (!procfs_cgroup(next[i].pid, path, sizeof(path))) {
			next[i].path = strdup(path);
		}
		if (next[i].path) /* gone since: left out */
			next[kept++] = next[i];
	}
	proctrack_free_owners();
	owners = next;
	nowners = kept;
	/* the snapshot gets its own copy: it may outlive this refresh */
	s->owners = kept ? calloc(kept, sizeof(*s->owners)) : NULL;
	for (size_t i = 0; s->owners && i < kept; i++) {
		s->owners[s->nowners].pid = owners[i].pid;
		if ((s->owners[s->nowners].path = strdup(owners[i].path)))
			s->nowners++;
	}
}

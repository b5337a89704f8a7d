#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <bpf/bpf.h>
#include "probes/probe.h"
#include "probes/selfcost.h"

/* fds told apart once, kept while ebtop's fd table keeps its size */
#define SELF_MAX_FDS 512

struct selfcost {
	int stats_fd;            /* BPF_ENABLE_STATS: on while open */
	size_t nfds;             /* entries of /proc/self/fd at the last sort */
	int progs[SELF_MAX_FDS]; /* each program once */
	int maps[SELF_MAX_FDS];  /* each map once whose memory can change */
	size_t nprogs, nmaps;
	bool sorted;
	unsigned reads;
	/* A map's memory costs 3 syscalls to read (its fdinfo): the fixed
	 * ones (preallocated) are read when sorted, the rest every
	 * MAPS_EVERY reads. */
	uint64_t fixed_bytes, map_bytes;
	bool have_prev;
	double prev_t, prev_cpu;
	uint64_t prev_ns[SELF_MAX_PROBES], prev_runs[SELF_MAX_PROBES];
	char prev_name[SELF_MAX_PROBES][16];
};

/* Program names are ebtop's own (bpf/): a probe's start with its name,
 * except the iterators and the map readers, named for what they read. */
static const struct {
	const char *prefix, *probe;
} owners[] = {
	{ "sched_", "sched" }, { "cpu_", "cpu" },         { "dump_threads", "cpu" },
	{ "sys_", "sys" },     { "tcp_", "tcp" },         { "dump_conns", "tcp" },
	{ "seed_owners", "tcp" }, { "exec", "exec" },     { "filter_", "filter" },
	{ "on_sample", "stack" }, { "off_switch", "stack" }, { "gather", "gather" },
};

const char *selfcost_probe_of(const char *prog_name)
{
	for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++)
		if (!strncmp(prog_name, owners[i].prefix, strlen(owners[i].prefix)))
			return owners[i].probe;
	return "other";
}

struct selfcost *selfcost_new(void)
{
	struct selfcost *c = calloc(1, sizeof(*c));

	if (c)
		c->stats_fd = -1;
	return c;
}

void selfcost_free(struct selfcost *c)
{
	if (!c)
		return;
	if (c->stats_fd >= 0)
		close(c->stats_fd);
	free(c);
}

int selfcost_enable_stats(struct selfcost *c)
{
	if (c->stats_fd >= 0)
		return 0;
	c->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	return c->stats_fd < 0 ? -errno : 0;
}

static double cpu_s(void)
{
	struct rusage u;

	if (getrusage(RUSAGE_SELF, &u))
		return 0;
	return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static uint64_t rss_bytes(void)
{
	unsigned long size, resident;
	FILE *f = fopen("/proc/self/statm", "re");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	return n == 2 ? (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

/* A map's memory as fdinfo says it (memlock: the kernel's own accounting). */
static uint64_t map_memlock(int fd)
{
	char path[64], line[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (!(f = fopen(path, "re")))
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

static struct self_probe *probe_slot(struct self_snap *s, const char *name)
{
	for (size_t i = 0; i < s->nprobes; i++)
		if (!strcmp(s->probe[i].name, name))
			return &s->probe[i];
	if (s->nprobes == SELF_MAX_PROBES)
		return NULL;
	snprintf(s->probe[s->nprobes].name, sizeof(s->probe[0].name), "%s", name);
	return &s->probe[s->nprobes++];
}

static bool seen(uint32_t *ids, size_t *n, uint32_t id)
{
	for (size_t i = 0; i < *n; i++)
		if (ids[i] == id)
			return true;
	if (*n < SELF_MAX_FDS)
		ids[(*n)++] = id;
	return false;
}

static size_t count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	size_t n = 0;

	if (!d)
		return 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Which of ebtop's fds are BPF programs and maps, each object once (by
 * kernel id): a readlink and an info call per fd, so done again only when
 * the fd table (nfds entries now) changes size or a kept fd stops being
 * what it was. */
static void sort_fds(struct selfcost *c, size_t nfds)
{
	uint32_t prog_ids[SELF_MAX_FDS], map_ids[SELF_MAX_FDS];
	size_t np = 0, nm = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	c->nprogs = c->nmaps = 0;
	c->fixed_bytes = 0;
	c->sorted = false;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[64], target[64];
		int fd = atoi(e->d_name);
		ssize_t n;

		if (e->d_name[0] < '0' || e->d_name[0] > '9' || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if ((n = readlink(path, target, sizeof(target) - 1)) < 0)
			continue;
		target[n] = '\0';
		if (!strcmp(target, "anon_inode:bpf-prog")) {
			struct bpf_prog_info info;
			uint32_t len = sizeof(info);

			memset(&info, 0, sizeof(info));
			if (!bpf_obj_get_info_by_fd(fd, &info, &len) && !seen(prog_ids, &np, info.id))
				c->progs[c->nprogs++] = fd;
		} else if (!strcmp(target, "anon_inode:bpf-map")) {
			struct bpf_map_info info;
			uint32_t len = sizeof(info);

			memset(&info, 0, sizeof(info));
			if (bpf_obj_get_info_by_fd(fd, &info, &len) || seen(map_ids, &nm, info.id))
				continue;
			if (info.map_flags & BPF_F_NO_PREALLOC || info.type == BPF_MAP_TYPE_TASK_STORAGE ||
			    info.type == BPF_MAP_TYPE_SK_STORAGE)
				c->maps[c->nmaps++] = fd;
			else
				c->fixed_bytes += map_memlock(fd);
		}
	}
	closedir(d);
	c->sorted = true;
	c->nfds = nfds;
}

#define MAPS_EVERY 5

static void read_objects(struct selfcost *c, struct self_snap *s)
{
	size_t nfds = count_fds();

	if (!c->sorted || nfds != c->nfds) {
		sort_fds(c, nfds);
		c->reads = 0;
	}
	for (size_t i = 0; i < c->nprogs; i++) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		struct self_probe *p;

		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(c->progs[i], &info, &len)) {
			c->sorted = false; /* not what it was: sorted again next time */
			continue;
		}
		if ((p = probe_slot(s, selfcost_probe_of(info.name)))) {
			p->run_ns += info.run_time_ns;
			p->runs += info.run_cnt;
		}
	}
	if (c->reads++ % MAPS_EVERY == 0) {
		c->map_bytes = c->fixed_bytes;
		for (size_t i = 0; i < c->nmaps; i++)
			c->map_bytes += map_memlock(c->maps[i]);
	}
	s->map_bytes = c->map_bytes;
}

/* Ours, or the sysctl's (readable without privileges). The sysctl shows
 * only its own setting: stats another tool turned on by an fd, as ours,
 * read as off here, while its programs' times still grow. */
static bool stats_on(const struct selfcost *c)
{
	char v = '0';
	int fd;

	if (c->stats_fd >= 0)
		return true;
	if ((fd = open("/proc/sys/kernel/bpf_stats_enabled", O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	if (read(fd, &v, 1) != 1)
		v = '0';
	close(fd);
	return v == '1';
}

void selfcost_read(struct selfcost *c, struct self_snap *s, unsigned refreshes)
{
	double t = probe_mono_ns() / 1e9, cpu = cpu_s(), dt = c->have_prev ? t - c->prev_t : 0;

	memset(s, 0, sizeof(*s));
	s->have = true;
	s->rates = c->have_prev;
	s->bpf_stats = stats_on(c);
	s->cpu_s = cpu;
	s->cpu_ms = c->have_prev ? (cpu - c->prev_cpu) * 1e3 / (refreshes ? refreshes : 1) : 0;
	s->rss_bytes = rss_bytes();
	read_objects(c, s);
	for (size_t i = 0; i < s->nprobes; i++) {
		struct self_probe *p = &s->probe[i];

		for (size_t j = 0; dt > 0 && j < SELF_MAX_PROBES; j++)
			if (!strcmp(c->prev_name[j], p->name) && p->run_ns >= c->prev_ns[j] &&
			    p->runs >= c->prev_runs[j]) {
				p->ns_per_s = (p->run_ns - c->prev_ns[j]) / dt;
				p->runs_per_s = (p->runs - c->prev_runs[j]) / dt;
			}
	}
	memset(c->prev_name, 0, sizeof(c->prev_name));
	for (size_t i = 0; i < s->nprobes; i++) {
		memcpy(c->prev_name[i], s->probe[i].name, sizeof(c->prev_name[i]));
		c->prev_ns[i] = s->probe[i].run_ns;
		c->prev_runs[i] = s->probe[i].runs;
	}
	c->prev_t = t;
	c->prev_cpu = cpu;
	c->have_prev = true;
}

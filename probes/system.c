#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/system.h"

/* /proc/stat's columns, in USER_HZ ticks */
enum { T_USER, T_NICE, T_SYSTEM, T_IDLE, T_IOWAIT, T_IRQ, T_SOFTIRQ, T_STEAL, NTIMES };

struct system_reader {
	char root[256];
	bool have_prev;
	int nprev;
	uint64_t prev[SYSTEM_MAX_CPUS][NTIMES];
};

struct system_reader *system_reader_new(const char *root)
{
	struct system_reader *r = calloc(1, sizeof(*r));

	if (r)
		snprintf(r->root, sizeof(r->root), "%s", root);
	return r;
}

void system_reader_free(struct system_reader *r)
{
	free(r);
}

static FILE *open_in(const struct system_reader *r, const char *name)
{
	char path[320];

	snprintf(path, sizeof(path), "%s/%s", r->root, name);
	return fopen(path, "re");
}

static void read_cpus(struct system_reader *r, struct system_snap *s)
{
	uint64_t now[SYSTEM_MAX_CPUS][NTIMES] = { { 0 } };
	FILE *f = open_in(r, "stat");
	char line[512];
	int n = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[NTIMES] = { 0 };
		int cpu, slot;

		/* "cpuN ..." lines; the aggregate "cpu " line is not one */
		if (strncmp(line, "cpu", 3) || line[3] < '0' || line[3] > '9')
			continue;
		if (sscanf(line + 3, "%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 5 || cpu < 0)
			continue;
		slot = n < SYSTEM_MAX_CPUS ? n++ : SYSTEM_MAX_CPUS - 1;
		for (int t = 0; t < NTIMES; t++)
			now[slot][t] += v[t];
	}
	fclose(f);
	s->ncpus = n;
	for (int c = 0; r->have_prev && c < n && c < r->nprev; c++) {
		uint64_t d[NTIMES], total = 0;

		for (int t = 0; t < NTIMES; t++) {
			/* a counter that went back (CPU hotplug) counts as idle */
			d[t] = now[c][t] >= r->prev[c][t] ? now[c][t] - r->prev[c][t] : 0;
			total += d[t];
		}
		if (!total)
			continue;
		s->cpu[c].user = 100.0 * (d[T_USER] + d[T_NICE]) / total;
		s->cpu[c].system = 100.0 * d[T_SYSTEM] / total;
		s->cpu[c].irq = 100.0 * (d[T_IRQ] + d[T_SOFTIRQ]) / total;
		s->cpu[c].steal = 100.0 * d[T_STEAL] / total;
	}
	memcpy(r->prev, now, sizeof(now));
	r->nprev = n;
	r->have_prev = true;
}

static void read_meminfo(const struct system_reader *r, struct system_snap *s)
{
	FILE *f = open_in(r, "meminfo");
	char line[256], key[64];
	unsigned long long v;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63[^:]: %llu", key, &v) == 2) {
			if (!strcmp(key, "MemTotal"))
				s->mem_total_kb = v;
			else if (!strcmp(key, "MemAvailable"))
				s->mem_avail_kb = v;
			else if (!strcmp(key, "SwapTotal"))
				s->swap_total_kb = v;
			else if (!strcmp(key, "SwapFree"))
				s->swap_free_kb = v;
		}
	fclose(f);
}

/* "some avg10=1.23 ..." of /proc/pressure/NAME, or -1 */
static double read_psi(const struct system_reader *r, const char *name)
{
	char file[64], line[256];
	FILE *f;
	double v = -1;

	snprintf(file, sizeof(file), "pressure/%s", name);
	if (!(f = open_in(r, file)))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "some avg10=%lf", &v) == 1)
			break;
	fclose(f);
	return v;
}

void system_read(struct system_reader *r, struct system_snap *s)
{
	static const char *const psi[3] = { "cpu", "memory", "io" };
	FILE *f;

	memset(s, 0, sizeof(*s));
	read_cpus(r, s);
	if ((f = open_in(r, "loadavg"))) {
		if (fscanf(f, "%lf %lf %lf %u/%u", &s->load[0], &s->load[1], &s->load[2],
			   &s->running, &s->tasks) != 5)
			s->running = s->tasks = 0;
		fclose(f);
	}
	read_meminfo(r, s);
	if ((f = open_in(r, "uptime"))) {
		if (fscanf(f, "%lf", &s->uptime_s) != 1)
			s->uptime_s = 0;
		fclose(f);
	}
	for (int i = 0; i < 3; i++)
		s->psi[i] = read_psi(r, psi[i]);
	s->have = s->ncpus > 0;
}

#include <stdlib.h>
#include <string.h>
#include "probes/histogram.h"
#include "probes/snapshot.h"

void runq_heat_push(uint32_t (*heat)[RUNQ_HEAT_ROWS], int *ncols, const uint64_t *hist)
{
	if (*ncols == RUNQ_HEAT_COLS)
		memmove(heat[0], heat[1], (RUNQ_HEAT_COLS - 1) * sizeof(heat[0]));
	else
		(*ncols)++;
	memset(heat[*ncols - 1], 0, sizeof(heat[0]));
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		heat[*ncols - 1][hist_pow2_row(i, RUNQ_HEAT_ROWS - 1)] += hist[i];
}

void snapshot_free(struct snapshot *s)
{
	for (size_t i = 0; i < s->cpu.n; i++) {
		free(s->cpu.rows[i].cgroup);
		free(s->cpu.rows[i].cmdline);
	}
	free(s->cpu.rows);
	free(s->cpu.gone);
	s->cpu.rows = NULL;
	s->cpu.gone = NULL;
	s->cpu.n = s->cpu.ngone = 0;
	free(s->runq.procs);
	free(s->runq.samples);
	s->runq.procs = NULL;
	s->runq.samples = NULL;
	s->runq.np = s->runq.nsamples = 0;
	free(s->sys.rows);
	free(s->sys.procs);
	s->sys.rows = NULL;
	s->sys.procs = NULL;
	s->sys.n = s->sys.np = 0;
	free(s->tcp.rows);
	free(s->tcp.closed);
	free(s->tcp.fresh);
	s->tcp.rows = s->tcp.closed = s->tcp.fresh = NULL;
	s->tcp.n = s->tcp.nclosed = s->tcp.nfresh = 0;
	for (size_t i = 0; i < s->exec.n; i++)
		exec_rec_put(s->exec.recs[i]);
	free(s->exec.recs);
	s->exec.recs = NULL;
	s->exec.n = 0;
	for (size_t i = 0; i < s->nowners; i++)
		free(s->owners[i].path);
	free(s->owners);
	s->owners = NULL;
	s->nowners = 0;
}

void exec_rec_put(struct exec_rec *r)
{
	if (!r || --r->refs > 0)
		return;
	for (int i = 0; i < r->argc; i++)
		free(r->argv[i]);
	free(r->argv);
	free(r->filename);
	free(r);
}

static int owner_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct pid_cgroup *)a)->pid, y = ((const struct pid_cgroup *)b)->pid;

	return (x > y) - (x < y);
}

const char *snapshot_cgroup_of(const struct snapshot *s, uint32_t pid)
{
	struct pid_cgroup key = { .pid = pid }, *o;

	for (size_t i = 0; i < s->cpu.n; i++)
		if (s->cpu.rows[i].pid == pid)
			return s->cpu.rows[i].cgroup;
	o = s->nowners ? bsearch(&key, s->owners, s->nowners, sizeof(key), owner_cmp) : NULL;
	return o ? o->path : NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

size_t snapshot_owners_needed(const struct snapshot *s, struct pid_cgroup *v, size_t n)
{
	uint32_t *cpu = malloc((s->cpu.n + 1) * sizeof(*cpu));
	size_t kept = 0;

	for (size_t i = 0; cpu && i < s->cpu.n; i++)
		cpu[i] = s->cpu.rows[i].pid;
	if (cpu)
		qsort(cpu, s->cpu.n, sizeof(*cpu), cmp_u32);
	if (n)
		qsort(v, n, sizeof(*v), owner_cmp);
	for (size_t i = 0; i < n; i++) {
		bool dup = kept && v[kept - 1].pid == v[i].pid;
		bool ran = cpu ? bsearch(&v[i].pid, cpu, s->cpu.n, sizeof(*cpu), cmp_u32) != NULL
			       : snapshot_cgroup_of(s, v[i].pid) != NULL;

		if (!v[i].pid || dup || ran)
			free(v[i].path);
		else
			v[kept++] = v[i];
	}
	free(cpu);
	return kept;
}

void snapshot_set_owners(struct snapshot *s, struct pid_cgroup *v, size_t n)
{
	for (size_t i = 0; i < s->nowners; i++)
		free(s->owners[i].path);
	free(s->owners);
	n = snapshot_owners_needed(s, v, n);
	s->owners = v;
	s->nowners = n;
}

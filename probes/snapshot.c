#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "probes/histogram.h"
#include "probes/snapshot.h"

static int by_culprit(const void *a, const void *b)
{
	uint32_t x = ((const struct runq_delay_row *)a)->culprit, y = ((const struct runq_delay_row *)b)->culprit;

	return (x > y) - (x < y);
}

static int by_caused(const void *a, const void *b)
{
	uint64_t x = ((const struct runq_culprit_row *)a)->caused_ns;
	uint64_t y = ((const struct runq_culprit_row *)b)->caused_ns;

	return (x < y) - (x > y);
}

int runq_culprits(struct runq_snap *q)
{
	struct runq_delay_row *d = malloc((q->ndelays + 1) * sizeof(*d));
	size_t n = 0;

	free(q->culprits);
	q->culprits = NULL;
	q->nculprits = 0;
	if (!d || !(q->culprits = calloc(q->ndelays + 1, sizeof(*q->culprits)))) {
		free(d);
		return -ENOMEM;
	}
	if (q->ndelays)
		memcpy(d, q->delays, q->ndelays * sizeof(*d));
	qsort(d, q->ndelays, sizeof(*d), by_culprit);
	for (size_t i = 0; i < q->ndelays; i++) {
		struct runq_culprit_row *c = n ? &q->culprits[n - 1] : NULL;

		if (!c || c->pid != d[i].culprit) {
			c = &q->culprits[n++];
			c->pid = d[i].culprit;
			memcpy(c->comm, d[i].culprit_comm, sizeof(c->comm));
		}
		c->caused_ns += d[i].caused_ns;
		c->waits += d[i].waits;
		c->victims++;
		if (d[i].worst_us > c->worst_us)
			c->worst_us = d[i].worst_us;
	}
	free(d);
	qsort(q->culprits, n, sizeof(*q->culprits), by_caused);
	q->nculprits = n;
	return 0;
}

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
	free(s->runq.delays);
	free(s->runq.culprits);
	s->runq.delays = NULL;
	s->runq.culprits = NULL;
	s->runq.ndelays = s->runq.nculprits = 0;
	s->runq.samples = NULL;
	s->runq.np = s->runq.nsamples = 0;
	free(s->sys.rows);
	free(s->sys.procs);
	s->sys.rows = NULL;
	s->sys.procs = NULL;
	s->sys.n = s->sys.np = 0;
	free(s->cpu.threads);
	s->cpu.threads = NULL;
	s->cpu.nthreads = 0;
	free(s->tcp.rows);
	free(s->tcp.closed);
	free(s->tcp.fresh);
	free(s->tcp.procs);
	s->tcp.procs = NULL;
	s->tcp.np = 0;
	s->tcp.rows = s->tcp.closed = s->tcp.fresh = NULL;
	s->tcp.n = s->tcp.nclosed = s->tcp.nfresh = 0;
	for (size_t i = 0; i < s->exec.n; i++)
		exec_rec_put(s->exec.recs[i]);
	free(s->exec.recs);
	s->exec.recs = NULL;
	s->exec.n = 0;
	for (size_t i = 0; i < s->stack.n; i++)
		free(s->stack.rows[i].frames);
	free(s->stack.rows);
	s->stack.rows = NULL;
	s->stack.n = 0;
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

int cmp_u32(const void *a, const void *b)
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

int stack_frames_add(struct stack_frames *f, const char *name, size_t n, const char *suffix)
{
	size_t need = n + strlen(suffix) + 1;

	if (f->len + need > f->cap) {
		size_t cap = (f->len + need) * 2;
		char *b = realloc(f->buf, cap);

		if (!b)
			return -ENOMEM;
		f->buf = b;
		f->cap = cap;
	}
	memcpy(f->buf + f->len, name, n);
	strcpy(f->buf + f->len + n, suffix);
	f->len += need;
	f->n++;
	return 0;
}

size_t stack_frames_len(const struct stack_row *r)
{
	size_t len = 0;

	for (uint32_t i = 0; i < r->nframes; i++)
		len += strlen(r->frames + len) + 1;
	return len;
}

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/histogram.h"
#include "tui/rowfilter.h"

void rowfilter_cgroup(const char *text, char *out, size_t len)
{
	static const char *const mounts[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
	size_t n;

	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		n = strlen(mounts[i]);
		if (!strncmp(text, mounts[i], n) && (text[n] == '/' || !text[n])) {
			text += n;
			break;
		}
	}
	snprintf(out, len, "%s%s", *text == '/' ? "" : "/", text);
	for (n = strlen(out); n > 1 && out[n - 1] == '/'; n--)
		out[n - 1] = '\0';
}

/* path is cg or below it */
static bool under(const char *path, const char *cg)
{
	size_t n = strlen(cg);

	if (!path)
		return false;
	if (!strcmp(cg, "/"))
		return true;
	return !strncmp(path, cg, n) && (path[n] == '/' || !path[n]);
}

struct keep {
	const struct rowfilter *f;
	char cg[4096];
	uint32_t *pids;   /* with a cgroup: the processes in it, sorted */
	size_t n;
};

static bool kept(const struct keep *k, uint32_t pid)
{
	bool listed = !k->f->npids;

	for (size_t i = 0; !listed && i < k->f->npids; i++)
		listed = k->f->pids[i] == pid;
	if (!listed)
		return false;
	return !k->pids || bsearch(&pid, k->pids, k->n, sizeof(pid), cmp_u32);
}

/* Compact an array of rows in place to those kept; the count is updated. */
#define KEEP_ROWS(k, rows, n, drop)                                \
	do {                                                       \
		size_t kept_n_ = 0;                                \
		for (size_t i_ = 0; i_ < (n); i_++) {              \
			if (kept((k), (rows)[i_].pid))             \
				(rows)[kept_n_++] = (rows)[i_];   \
			else                                       \
				drop(&(rows)[i_]);                 \
		}                                                  \
		(n) = kept_n_;                                     \
	} while (0)

static void drop_nothing(void *row)
{
	(void)row;
}

static void drop_cpu(struct cpu_row *r)
{
	free(r->cgroup);
	free(r->cmdline);
}

static void filter_runq(struct runq_snap *q, const struct keep *k)
{
	size_t nd = 0;

	KEEP_ROWS(k, q->procs, q->np, drop_nothing);
	/* the kernel filter keeps the victims; who delayed them stays */
	for (size_t i = 0; i < q->ndelays; i++)
		if (kept(k, q->delays[i].victim))
			q->delays[nd++] = q->delays[i];
	q->ndelays = nd;
	runq_culprits(q); /* out of memory: no culprits shown */
	memset(q->hist, 0, sizeof(q->hist));
	q->count = 0;
	q->max_us = 0;
	for (size_t i = 0; i < q->np; i++) {
		q->count += q->procs[i].count;
		for (int b = 0; b < HIST_BUCKETS; b++)
			q->hist[b] += q->procs[i].hist[b];
		if (q->procs[i].max_us > q->max_us)
			q->max_us = q->procs[i].max_us;
	}
	q->p50_us = hist_percentile(q->hist, HIST_BUCKETS, 50);
	q->p90_us = hist_percentile(q->hist, HIST_BUCKETS, 90);
	q->p99_us = hist_percentile(q->hist, HIST_BUCKETS, 99);
}

static void drop_stack(struct stack_row *r)
{
	free(r->frames);
}

/* The shares become those of the processes kept: what the recording
 * counted only in all (lost, past the top) cannot be split by process. */
static void filter_stack(struct stack_snap *y, const struct keep *k)
{
	KEEP_ROWS(k, y->rows, y->n, drop_stack);
	y->total = 0;
	for (size_t i = 0; i < y->n; i++)
		y->total += y->rows[i].count;
	y->lost = y->others = 0;
	if (!y->offcpu)
		y->samples = y->total;
}

static void filter_exec(struct exec_snap *e, const struct keep *k, double interval_s)
{
	size_t n = 0, nnew = 0;

	for (size_t i = 0; i < e->n; i++) {
		struct exec_rec *r = e->recs[i];

		/* a lost-records marker belongs to every filter */
		if (r->lost_before || kept(k, r->pid)) {
			e->recs[n++] = r;
			nnew += i >= e->n - e->nnew;
		} else {
			exec_rec_put(r);
		}
	}
	e->n = n;
	e->nnew = nnew;
	e->events = nnew;
	e->rate = interval_s > 0 ? nnew / interval_s : 0;
}

void rowfilter_apply(struct snapshot *s, const struct rowfilter *f)
{
	struct keep k = { .f = f };

	if (!f->npids && (!f->cgroup || !*f->cgroup))
		return;
	if (f->cgroup && *f->cgroup) {
		rowfilter_cgroup(f->cgroup, k.cg, sizeof(k.cg));
		k.pids = malloc((s->cpu.n + s->nowners + 1) * sizeof(*k.pids));
		if (!k.pids)
			return; /* out of memory: the rows stay whole */
		/* the processes that ran, and the owners of connections that did not */
		for (size_t i = 0; i < s->cpu.n; i++)
			if (under(s->cpu.rows[i].cgroup, k.cg))
				k.pids[k.n++] = s->cpu.rows[i].pid;
		for (size_t i = 0; i < s->nowners; i++)
			if (under(s->owners[i].path, k.cg))
				k.pids[k.n++] = s->owners[i].pid;
		qsort(k.pids, k.n, sizeof(*k.pids), cmp_u32);
	}
	KEEP_ROWS(&k, s->cpu.rows, s->cpu.n, drop_cpu);
	filter_runq(&s->runq, &k);
	KEEP_ROWS(&k, s->sys.procs, s->sys.np, drop_nothing);
	KEEP_ROWS(&k, s->tcp.rows, s->tcp.n, drop_nothing);
	KEEP_ROWS(&k, s->tcp.closed, s->tcp.nclosed, drop_nothing);
	KEEP_ROWS(&k, s->tcp.fresh, s->tcp.nfresh, drop_nothing);
	KEEP_ROWS(&k, s->tcp.procs, s->tcp.np, drop_nothing);
	filter_exec(&s->exec, &k, s->interval_s);
	filter_stack(&s->stack, &k);
	free(k.pids);
}

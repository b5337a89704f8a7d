/* Threads: a task iterator's records diffed against the previous read,
 * thread by thread; a thread first seen counts from its previous read
 * only, so the first read is a baseline. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "probes/filter.h"
#include "probes/probe.h"
#include "probes/threads.h"
#include "bpf/threads.h"
#include "threads.skel.h"

struct threads {
	struct threads_bpf *skel;
	struct bpf_link *iter;
	struct thread_rec *prev;   /* the last read, sorted by tid then start */
	size_t nprev;
	bool have_prev;
	uint64_t read_ns;          /* CLOCK_MONOTONIC of the last read, start_ns's clock */
};

static int cmp_rec(const void *a, const void *b)
{
	const struct thread_rec *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return (x->start_ns > y->start_ns) - (x->start_ns < y->start_ns);
}

static int by_oncpu(const void *a, const void *b)
{
	uint64_t x = ((const struct cpu_thread_row *)a)->oncpu_ns;
	uint64_t y = ((const struct cpu_thread_row *)b)->oncpu_ns;

	return (x < y) - (x > y);
}

void threads_close(struct threads *t)
{
	if (!t)
		return;
	bpf_link__destroy(t->iter);
	threads_bpf__destroy(t->skel);
	free(t->prev);
	free(t);
}

struct threads *threads_open(struct filter *f, char *why, size_t whylen)
{
	struct threads *t = calloc(1, sizeof(*t));
	int err = 0;

	if (!t)
		return NULL;
	t->skel = threads_bpf__open();
	if (!t->skel)
		err = -errno;
	if (!err)
		err = filter_reuse(f, t->skel->obj);
	if (!err && threads_bpf__load(t->skel))
		err = -errno;
	if (!err && !(t->iter = bpf_program__attach_iter(t->skel->progs.dump_threads, NULL)))
		err = -errno;
	if (err) {
		probe_why(why, whylen, "iter/task", err);
		threads_close(t);
		errno = -err;
		return NULL;
	}
	return t;
}

static uint64_t since(uint64_t now, uint64_t was)
{
	return now > was ? now - was : 0;
}

int threads_read(struct threads *t, struct cpu_snap *cs, double interval_s, bool report)
{
	size_t len, n;
	uint64_t now = probe_mono_ns();
	struct thread_rec *recs = (struct thread_rec *)probe_run_iter(t->iter, &len);

	if (!recs)
		return -errno;
	n = len / sizeof(*recs);
	qsort(recs, n, sizeof(*recs), cmp_rec);
	if (report && t->have_prev) {
		cs->threads = calloc(n ? n : 1, sizeof(*cs->threads));
		if (!cs->threads) {
			free(recs);
			return -ENOMEM;
		}
		for (size_t i = 0; i < n; i++) {
			const struct thread_rec *r = &recs[i];
			const struct thread_rec *was =
				t->nprev ? bsearch(r, t->prev, t->nprev, sizeof(*r), cmp_rec) : NULL;
			struct cpu_thread_row *row = &cs->threads[cs->nthreads];

			/* not read before: born since (all it did is in the
			 * interval), or kept out by the filter (a baseline) */
			if (!was && r->start_ns <= t->read_ns)
				continue;
			row->oncpu_ns = since(r->runtime_ns, was ? was->runtime_ns : 0);
			row->waits = since(r->pcount, was ? was->pcount : 0);
			row->wait_ns = since(r->run_delay_ns, was ? was->run_delay_ns : 0);
			row->tid = r->tid;
			row->pid = r->tgid;
			memcpy(row->comm, r->comm, sizeof(row->comm));
			row->comm[sizeof(row->comm) - 1] = '\0';
			row->pct = interval_s > 0 ? row->oncpu_ns / (interval_s * 1e9) * 100 : 0;
			cs->nthreads++;
		}
		qsort(cs->threads, cs->nthreads, sizeof(*cs->threads), by_oncpu);
	}
	cs->threads_on = true;
	free(t->prev);
	t->prev = recs;
	t->nprev = n;
	t->have_prev = true;
	t->read_ns = now;
	return 0;
}

void threads_reset(struct threads *t)
{
	t->have_prev = false;
}

/* runq probe: run-queue latency histograms, system-wide and per process,
 * diffed per interval like every other counter, plus the heat map's
 * history of the last RUNQ_HEAT_COLS intervals. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "probes/baseline.h"
#include "probes/histogram.h"
#include "probes/changed.h"
#include "probes/filter.h"
#include "probes/mapread.h"
#include "probes/probe.h"
#include "probes/sched.h"
#include "bpf/runq.h"
#include "bpf/touched.h"
#include "sched.skel.h"

#define COUNT_KEY HIST_BUCKETS /* baseline key tgid * 256 + this: the count */
#define SLOW_KEY (HIST_BUCKETS + 1) /* and the slow waits */

struct runq_probe {
	struct sched_bpf *skel; /* shared with the cpu probe (probes/sched.h) */
	struct changed changed;
	struct ring_buffer *samples_rb;
	struct baseline sys, procs;
	struct baseline caused, waits;  /* per (culprit, victim) */
	uint64_t slow_us;
	int ncpus;
	uint32_t heat[RUNQ_HEAT_COLS][RUNQ_HEAT_ROWS];
	int heat_cols;
	uint64_t (*samples)[2];
	size_t nsamples, samples_cap;
};

static void runq_stop(void *state)
{
	struct runq_probe *p = state;

	if (!p)
		return;
	ring_buffer__free(p->samples_rb);
	changed_fini(&p->changed);
	sched_put(p->skel);
	baseline_free(&p->sys);
	baseline_free(&p->procs);
	baseline_free(&p->caused);
	baseline_free(&p->waits);
	free(p->samples);
	free(p);
}

static int on_sample(void *ctx, void *data, size_t size)
{
	struct runq_probe *p = ctx;

	if (size < sizeof(p->samples[0]))
		return 0;
	if (p->nsamples == p->samples_cap) {
		size_t cap = p->samples_cap ? p->samples_cap * 2 : 4096;
		void *n = realloc(p->samples, cap * sizeof(p->samples[0]));

		if (!n)
			return 0;
		p->samples = n;
		p->samples_cap = cap;
	}
	memcpy(p->samples[p->nsamples++], data, sizeof(p->samples[0]));
	return 0;
}

static void *runq_start(const struct probe_env *env, char *why, size_t whylen)
{
	struct runq_probe *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->slow_us = env->runq_slow_us;
	p->skel = sched_get(env, SCHED_RUNQ, why, whylen);
	if (!p->skel) {
		int err = errno;

		runq_stop(p);
		errno = err;
		return NULL;
	}
	if (p->skel->rodata->samples_on) {
		p->samples_rb = ring_buffer__new(bpf_map__fd(p->skel->maps.samples), on_sample, p,
						 NULL);
		if (!p->samples_rb) {
			int err = -errno;

			probe_why(why, whylen, "sched_switch (run_delay)", err);
			runq_stop(p);
			errno = -err;
			return NULL;
		}
	}
	p->ncpus = libbpf_num_possible_cpus();
	changed_init(&p->changed, &p->skel->bss->runq_touched, bpf_map__fd(p->skel->maps.runq_procs));
	return p;
}

static int read_system(struct runq_probe *p, struct runq_snap *rs, bool report)
{
	int fd = bpf_map__fd(p->skel->maps.hist);
	__u64 v[p->ncpus], max = 0, *all;
	__u32 zero = 0, *keys;
	/* the 193 slots in one batch call, not 193 lookups */
	long n = map_read_all(fd, sizeof(*keys), sizeof(v), (void **)&keys, (void **)&all);

	if (n < 0)
		return n;
	for (long i = 0; i < n; i++) {
		uint64_t sum = 0, delta;

		for (int c = 0; c < p->ncpus; c++)
			sum += all[i * p->ncpus + c];
		delta = baseline_step(&p->sys, keys[i], sum);
		if (report && keys[i] == RUNQ_SUM_KEY)
			rs->sum_ns = delta;
		else if (report && keys[i] < HIST_BUCKETS) {
			rs->hist[keys[i]] = delta;
			rs->count += delta;
		}
	}
	free(keys);
	free(all);
	baseline_complete(&p->sys);
	/* the exact max lives in its own map, cleared after each read */
	fd = bpf_map__fd(p->skel->maps.max_ns);
	if (bpf_map_lookup_elem(fd, &zero, v) == 0) {
		for (int c = 0; c < p->ncpus; c++) {
			if (v[c] > max)
				max = v[c];
			v[c] = 0;
		}
		bpf_map_update_elem(fd, &zero, v, BPF_ANY);
	}
	if (!report)
		return 0;
	rs->max_us = max / 1e3;
	rs->p50_us = hist_percentile(rs->hist, HIST_BUCKETS, 50);
	rs->p90_us = hist_percentile(rs->hist, HIST_BUCKETS, 90);
	rs->p99_us = hist_percentile(rs->hist, HIST_BUCKETS, 99);
	runq_heat_push(p->heat, &p->heat_cols, rs->hist);
	memcpy(rs->heat, p->heat, sizeof(p->heat));
	rs->heat_cols = p->heat_cols;
	return 0;
}

/* The slow waits first: two 8 ms waits among 900 short ones do not move
 * a p99, and are what a victim of a noisy neighbour has. */
static int by_slow_p99(const void *a, const void *b)
{
	const struct runq_proc_row *x = a, *y = b;

	if (x->slow != y->slow)
		return x->slow < y->slow ? 1 : -1;
	return (x->p99_us < y->p99_us) - (x->p99_us > y->p99_us);
}

/* Forget every key of an exited process: its count and its buckets. */
static void forget_proc(struct baseline *b, uint32_t pid)
{
	for (unsigned k = 0; k <= SLOW_KEY; k++)
		baseline_forget(b, (uint64_t)pid * 256 + k);
}

static int read_procs(struct runq_probe *p, struct runq_snap *rs, bool report)
{
	int fd = bpf_map__fd(p->skel->maps.runq_procs);
	struct runq_proc_row *rows = NULL, r;
	size_t nr = 0, cap = 0;
	uint32_t *keys;
	struct runq_proc *vals;
	long n = changed_read(&p->changed, fd, !p->procs.valid, NULL, 0, sizeof(*vals), &keys,
			      (void **)&vals);

	if (n < 0)
		return n;
	for (long i = 0; i < n; i++) {
		uint32_t pid = keys[i];
		const struct runq_proc *v = &vals[i];
		uint64_t base = (uint64_t)pid * 256;

		r.count = baseline_step(&p->procs, base + COUNT_KEY, v->count);
		r.slow = baseline_step(&p->procs, base + SLOW_KEY, v->slow);
		r.max_us = 0;
		for (unsigned b = 0; b < HIST_BUCKETS; b++) {
			r.hist[b] = v->bucket[b] ? baseline_step(&p->procs, base + b, v->bucket[b]) : 0;
			if (r.hist[b])
				r.max_us = bucket_high(b);
		}
		/* Rows only for the processes that waited in this interval (the
		 * dump already left out the sleepers). The count and its bucket
		 * are two adds: a read between them shows one without the other,
		 * so either moving makes a row. */
		if (report && (r.count || r.max_us)) {
			if (nr == cap) {
				struct runq_proc_row *grown;

				cap = cap ? cap * 2 : 64;
				if (!(grown = realloc(rows, cap * sizeof(*rows)))) {
					free(rows), free(keys), free(vals);
					return -ENOMEM;
				}
				rows = grown;
			}
			r.pid = pid;
			snprintf(r.comm, sizeof(r.comm), "%.15s", v->comm);
			r.p50_us = hist_percentile(r.hist, HIST_BUCKETS, 50);
			r.p99_us = hist_percentile(r.hist, HIST_BUCKETS, 99);
			r.p999_us = hist_percentile(r.hist, HIST_BUCKETS, 99.9);
			rows[nr++] = r;
		}
		if (v->exited) { /* reported above for the last time */
			bpf_map_delete_elem(fd, &pid);
			forget_proc(&p->procs, pid);
		}
	}
	baseline_complete(&p->procs);
	if (nr)
		qsort(rows, nr, sizeof(*rows), by_slow_p99);
	rs->np = nr < RUNQ_TOP_PROCS ? nr : RUNQ_TOP_PROCS;
	rs->procs = rows;
	free(keys);
	free(vals);
	return 0;
}

static int by_delay(const void *a, const void *b)
{
	uint64_t x = ((const struct runq_delay_row *)a)->caused_ns;
	uint64_t y = ((const struct runq_delay_row *)b)->caused_ns;

	return (x < y) - (x > y);
}

static bool gone(const uint32_t *pids, size_t n, uint32_t pid)
{
	return n && bsearch(&pid, pids, n, sizeof(*pids), cmp_u32);
}

/* Who made whom wait in the interval: the pairs' counters diffed like
 * every other. The longest wait is kept per epoch, in the slot of the one
 * that just closed. The map stays bounded as processes come and go: a pair
 * goes once it is reported after either process exited (the cpu probe,
 * collected first, lists those), or once it was quiet through a read (a
 * charge racing that delete is lost; one after it starts a new pair). */
static int read_delays(struct runq_probe *p, const struct cpu_snap *cs, struct runq_snap *rs,
		       bool report)
{
	uint32_t *exited = NULL;
	size_t nexited = cs->ngone;
	int fd = bpf_map__fd(p->skel->maps.delays);
	__u32 closed = p->changed.ring->epoch - 1;
	struct runq_pair_key *keys;
	struct runq_pair *vals;
	long n = map_read_all(fd, sizeof(*keys), sizeof(*vals), (void **)&keys, (void **)&vals);
	size_t nr = 0;

	if (n < 0)
		return n;
	rs->delays = calloc(n + 1, sizeof(*rs->delays));
	if (nexited && (exited = malloc(nexited * sizeof(*exited)))) {
		memcpy(exited, cs->gone, nexited * sizeof(*exited));
		qsort(exited, nexited, sizeof(*exited), cmp_u32);
	} else {
		nexited = 0;
	}
	if (!rs->delays) {
		free(keys), free(vals), free(exited);
		return -ENOMEM;
	}
	for (long i = 0; i < n; i++) {
		uint64_t key = (uint64_t)keys[i].culprit << 32 | keys[i].victim;
		uint64_t caused = baseline_step(&p->caused, key, vals[i].caused_ns);
		uint64_t waits = baseline_step(&p->waits, key, vals[i].waits);
		struct runq_delay_row *d = &rs->delays[nr];

		if (!waits || gone(exited, nexited, keys[i].culprit) || gone(exited, nexited, keys[i].victim)) {
			bpf_map_delete_elem(fd, &keys[i]);
			baseline_forget(&p->caused, key);
			baseline_forget(&p->waits, key);
		}
		if (!waits || !report)
			continue;
		d->culprit = keys[i].culprit;
		d->victim = keys[i].victim;
		memcpy(d->culprit_comm, vals[i].culprit_comm, sizeof(d->culprit_comm));
		memcpy(d->victim_comm, vals[i].victim_comm, sizeof(d->victim_comm));
		d->culprit_comm[sizeof(d->culprit_comm) - 1] = d->victim_comm[sizeof(d->victim_comm) - 1] = 0;
		d->caused_ns = caused;
		d->waits = waits;
		d->worst_us = vals[i].worst_epoch[closed & 1] == closed ? vals[i].worst_ns[closed & 1] / 1e3 : 0;
		nr++;
	}
	baseline_complete(&p->caused);
	baseline_complete(&p->waits);
	free(keys);
	free(vals);
	free(exited);
	qsort(rs->delays, nr, sizeof(*rs->delays), by_delay);
	rs->ndelays = nr;
	rs->delays_lost = p->skel->bss->pairs_lost;
	return runq_culprits(rs);
}

static int runq_collect(void *state, struct snapshot *s, double interval_s)
{
	struct runq_probe *p = state;
	bool report = p->sys.valid && interval_s > 0;
	int err = read_system(p, &s->runq, report);

	if (!err)
		err = read_procs(p, &s->runq, report);
	if (!err)
		err = read_delays(p, &s->cpu, &s->runq, report);
	s->runq.slow_us = p->slow_us;
	if (p->samples_rb) {
		ring_buffer__consume(p->samples_rb);
		s->runq.samples = p->samples;
		s->runq.nsamples = report ? p->nsamples : 0;
		p->samples = NULL;
		p->nsamples = p->samples_cap = 0;
	}
	return err;
}

static void runq_reset(void *state)
{
	struct runq_probe *p = state;

	baseline_reset(&p->sys);
	baseline_reset(&p->procs);
	baseline_reset(&p->caused);
	baseline_reset(&p->waits);
}

const struct probe_ops runq_probe_ops = {
	.start = runq_start,
	.start_last = true, /* the cpu probe's start loads their object */
	.collect = runq_collect,
	.reset = runq_reset,
	.stop = runq_stop,
};

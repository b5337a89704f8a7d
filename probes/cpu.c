/* cpu probe: on-CPU time per process from sched_switch accounting. The
 * kernel keeps cumulative counters; each collect first forces a switch on
 * every CPU (closing the slices in progress), then diffs against the
 * previous reading. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "baseline.h"
#include "cgroup.h"
#include "filter.h"
#include "mapread.h"
#include "probe.h"
#include "cpu.h"
#include "cpu.skel.h"

struct cpu_probe {
	struct cpu_bpf *skel;
	struct baseline prev;  /* on-CPU ns per tgid at the last collect */
	uint64_t read_at;      /* CLOCK_MONOTONIC of the last consistent read */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* the clock bpf_ktime_get_ns reads */
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void *cpu_start(const struct probe_env *env, char *why, size_t whylen)
{
	struct cpu_probe *p = calloc(1, sizeof(*p));
	int err = 0;

	if (!p)
		return NULL;
	PROBE_OPEN_LOAD(cpu_bpf, p->skel, env->filter, err);
	if (!err && cpu_bpf__attach(p->skel))
		err = -errno;
	if (err) {
		probe_why(why, whylen, "sched_switch", err);
		cpu_bpf__destroy(p->skel);
		free(p);
		errno = -err;
		return NULL;
	}
	probe_switch_all_cpus();
	return p;
}

static void remove_exited(struct cpu_probe *p, const uint32_t *keys, const struct cpu_proc *vals,
			  long n)
{
	int fd = bpf_map__fd(p->skel->maps.cpu_procs);

	for (long i = 0; i < n; i++)
		if (vals[i].exited)
			bpf_map_delete_elem(fd, &keys[i]);
}

static int by_oncpu(const void *a, const void *b)
{
	uint64_t x = ((const struct cpu_row *)a)->oncpu_ns, y = ((const struct cpu_row *)b)->oncpu_ns;

	return (x < y) - (x > y);
}

static int cpu_collect(void *state, struct snapshot *s, double interval_s)
{
	struct cpu_probe *p = state;
	struct cpu_snap *cs = &s->cpu;
	uint32_t *keys;
	struct cpu_proc *vals;
	struct total *now;
	uint64_t now_mono;
	long n;

	/* Close every slice in progress, so the totals include the running
	 * tasks too (a lone spinner may otherwise not switch for seconds). */
	probe_switch_all_cpus();
	now_mono = now_ns();
	n = map_read_all(bpf_map__fd(p->skel->maps.cpu_procs), sizeof(*keys), sizeof(*vals),
			 (void **)&keys, (void **)&vals);
	if (n < 0)
		return n;
	now = malloc((n ? n : 1) * sizeof(*now));
	cs->rows = calloc(n ? n : 1, sizeof(*cs->rows));
	cs->gone = calloc(n ? n : 1, sizeof(*cs->gone));
	if (!now || !cs->rows || !cs->gone) {
		free(now), free(keys), free(vals);
		return -ENOMEM;
	}
	cs->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	/* The window is this probe's own: under full load ebtop itself may wait
	 * for a CPU between the collector's clock read and this one. */
	cs->interval_s = p->prev.valid ? (now_mono - p->read_at) / 1e9 : 0;
	p->read_at = now_mono;
	(void)interval_s;
	for (long i = 0; i < n; i++) {
		uint64_t delta = baseline_delta(&p->prev, keys[i], vals[i].oncpu_ns);

		now[i] = (struct total){ keys[i], vals[i].oncpu_ns };
		if (!p->prev.valid)
			continue;
		if (keys[i] == 0) {
			cs->idle_ns = delta;
			continue;
		}
		if (vals[i].exited)
			cs->gone[cs->ngone++] = keys[i];
		if (!delta)
			continue;
		struct cpu_row *r = &cs->rows[cs->n++];

		r->pid = keys[i];
		r->uid = vals[i].uid;
		r->threads = vals[i].nr_threads;
		r->oncpu_ns = delta;
		r->cgroup_id = vals[i].cgroup_id;
		r->pct = cs->interval_s > 0 ? delta / (cs->interval_s * 1e7) : 0;
		memcpy(r->comm, vals[i].comm, sizeof(r->comm));
		r->comm[sizeof(r->comm) - 1] = '\0';
		const char *cg = cgroup_path(r->cgroup_id);

		r->cgroup = strdup(cg ? cg : "?");
	}
	s->baseline = s->baseline || !p->prev.valid;
	remove_exited(p, keys, vals, n);
	qsort(cs->rows, cs->n, sizeof(*cs->rows), by_oncpu);
	baseline_commit(&p->prev, now, n);
	free(keys);
	free(vals);
	return 0;
}

static void cpu_reset(void *state)
{
	struct cpu_probe *p = state;

	baseline_reset(&p->prev);
}

static void cpu_stop(void *state)
{
	struct cpu_probe *p = state;

	if (!p)
		return;
	cpu_bpf__destroy(p->skel);
	baseline_free(&p->prev);
	free(p);
}

const struct probe_ops cpu_probe_ops = {
	.name = "cpu",
	.pane = PANE_CPU,
	.start = cpu_start,
	.collect = cpu_collect,
	.reset = cpu_reset,
	.stop = cpu_stop,
};

/* cpu probe: on-CPU time per process from sched_switch accounting. The
 * kernel keeps cumulative counters; each collect adds the slices still in
 * progress, then diffs against the previous reading. */
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
#include "procfs.h"
#include "cpu.h"
#include "cpu.skel.h"

struct cpu_probe {
	struct cpu_bpf *skel;
	struct baseline prev;  /* on-CPU ns per tgid at the last collect */
	int ncpus_possible;
	struct cpu_running *run, *run_check; /* per-CPU slices in progress */
	uint64_t read_at;      /* CLOCK_MONOTONIC of the last consistent read */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* the clock bpf_ktime_get_ns reads */
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void cpu_stop(void *state);

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
	p->ncpus_possible = libbpf_num_possible_cpus();
	p->run = calloc(p->ncpus_possible, sizeof(*p->run));
	p->run_check = calloc(p->ncpus_possible, sizeof(*p->run));
	if (p->ncpus_possible <= 0 || !p->run || !p->run_check) {
		snprintf(why, whylen, "cpu: cannot size per-CPU buffers");
		cpu_stop(p);
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

/* A task that has run since before the last switch on its CPU has no entry
 * yet: describe it from /proc. */
static bool add_unseen(uint32_t *keys, struct cpu_proc *vals, long *n, uint32_t tgid)
{
	struct proc_info info;

	if (procfs_info(tgid, &info))
		return false;
	keys[*n] = tgid;
	vals[*n] = (struct cpu_proc){ .cgroup_id = info.cgroup_id, .uid = info.uid,
				      .nr_threads = info.threads };
	memcpy(vals[*n].comm, info.comm, sizeof(vals[*n].comm));
	(*n)++;
	return true;
}

/* Time of the slices running right now (p->run, read at now), credited
 * to their tasks. keys and vals have room for ncpus_possible more entries. */
static void add_inflight(struct cpu_probe *p, uint64_t now, uint32_t *keys, struct cpu_proc *vals,
			 long *n)
{
	for (int c = 0; c < p->ncpus_possible; c++) {
		const struct cpu_running *run = &p->run[c];
		long i;

		if (!run->start_ns || !run->wanted || now < run->start_ns)
			continue;
		for (i = 0; i < *n && keys[i] != run->tgid; i++)
			;
		if (i < *n || add_unseen(keys, vals, n, run->tgid))
			vals[i].oncpu_ns += now - run->start_ns;
	}
}

static int read_running(struct cpu_probe *p, struct cpu_running *out)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.running), &zero, out) ? -errno : 0;
}

/* Read the totals and the slices in progress as one consistent picture:
 * a slice that ends while procs is being read would otherwise be missing
 * from both. Like a seqlock, retry when any CPU switched meanwhile. */
static long read_consistent(struct cpu_probe *p, uint32_t **keys, struct cpu_proc **vals,
			    uint64_t *now)
{
	size_t size = p->ncpus_possible * sizeof(*p->run);

	for (int attempt = 0;; attempt++) {
		long n;
		int err = read_running(p, p->run_check);

		if (err)
			return err;
		n = map_read_all(bpf_map__fd(p->skel->maps.procs), sizeof(**keys), sizeof(**vals),
				 (void **)keys, (void **)vals);
		if (n < 0)
			return n;
		err = read_running(p, p->run);
		*now = now_ns();
		if (err || attempt == 4 || !memcmp(p->run, p->run_check, size))
			return err ? err : n;
		free(*keys);
		free(*vals);
	}
}

static int grow_for_inflight(struct cpu_probe *p, uint32_t **keys, struct cpu_proc **vals, long n)
{
	size_t room = n + p->ncpus_possible;
	void *k = realloc(*keys, room * sizeof(**keys));

	if (!k)
		return -ENOMEM;
	*keys = k;
	k = realloc(*vals, room * sizeof(**vals));
	if (!k)
		return -ENOMEM;
	*vals = k;
	return 0;
}

static void remove_exited(struct cpu_probe *p, const uint32_t *keys, const struct cpu_proc *vals,
			  long n)
{
	int fd = bpf_map__fd(p->skel->maps.procs);

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
	uint64_t now_mono = 0;
	long n = read_consistent(p, &keys, &vals, &now_mono);

	if (n < 0)
		return n;
	if (grow_for_inflight(p, &keys, &vals, n)) {
		free(keys), free(vals);
		return -ENOMEM;
	}
	add_inflight(p, now_mono, keys, vals, &n);
	now = malloc((n ? n : 1) * sizeof(*now));
	cs->rows = calloc(n ? n : 1, sizeof(*cs->rows));
	if (!now || !cs->rows) {
		free(now), free(keys), free(vals);
		return -ENOMEM;
	}
	cs->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	/* The window is this probe's own: under full load ebtop itself may wait
	 * for a CPU between the collector's clock read and this read. */
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
	free(p->run);
	free(p->run_check);
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

/* cpu probe: on-CPU time per process from sched_switch accounting. The
 * kernel keeps cumulative counters; each collect adds the slices still in
 * progress, then diffs against the previous reading. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cgroup.h"
#include "filter.h"
#include "mapread.h"
#include "probe.h"
#include "procfs.h"
#include "cpu.h"
#include "cpu.skel.h"

struct total {
	uint32_t pid;
	uint64_t ns;
};

struct cpu_probe {
	struct cpu_bpf *skel;
	struct total *prev;   /* last reading, sorted by pid */
	size_t nprev;
	bool have_prev;
	int ncpus_possible;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* the clock bpf_ktime_get_ns reads */
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void *cpu_start(struct filter *f, char *why, size_t whylen)
{
	struct cpu_probe *p = calloc(1, sizeof(*p));
	int err = 0;

	if (!p)
		return NULL;
	PROBE_OPEN_LOAD(cpu_bpf, p->skel, f, err);
	if (!err && cpu_bpf__attach(p->skel))
		err = -errno;
	if (err) {
		probe_why(why, whylen, "sched_switch", err);
		cpu_bpf__destroy(p->skel);
		free(p);
		errno = -err;
		return NULL;
	}
	p->ncpus_possible = libbpf_num_possible_cpus();
	return p;
}

static int by_pid(const void *a, const void *b)
{
	uint32_t x = ((const struct total *)a)->pid, y = ((const struct total *)b)->pid;

	return (x > y) - (x < y);
}

static uint64_t prev_total(const struct cpu_probe *p, uint32_t pid)
{
	struct total key = { .pid = pid }, *hit;

	hit = bsearch(&key, p->prev, p->nprev, sizeof(key), by_pid);
	return hit ? hit->ns : 0;
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

/* Time of the slices running right now, credited to their tasks. keys and
 * vals have room for ncpus_possible more entries. */
static void add_inflight(struct cpu_probe *p, uint32_t *keys, struct cpu_proc *vals, long *n)
{
	struct cpu_running run[p->ncpus_possible > 0 ? p->ncpus_possible : 1];
	__u32 zero = 0;
	uint64_t now;

	if (bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.running), &zero, run))
		return;
	now = now_ns();
	for (int c = 0; c < p->ncpus_possible; c++) {
		long i;

		if (!run[c].start_ns || !run[c].wanted || now < run[c].start_ns)
			continue;
		for (i = 0; i < *n && keys[i] != run[c].tgid; i++)
			;
		if (i < *n || add_unseen(keys, vals, n, run[c].tgid))
			vals[i].oncpu_ns += now - run[c].start_ns;
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

static int cpu_collect(void *state, struct snapshot *s, double interval_s)
{
	struct cpu_probe *p = state;
	struct cpu_snap *cs = &s->cpu;
	uint32_t *keys;
	struct cpu_proc *vals;
	struct total *now;
	long n = map_read_all(bpf_map__fd(p->skel->maps.procs), sizeof(*keys), sizeof(*vals),
			      (void **)&keys, (void **)&vals);

	if (n < 0)
		return n;
	if (grow_for_inflight(p, &keys, &vals, n)) {
		free(keys), free(vals);
		return -ENOMEM;
	}
	add_inflight(p, keys, vals, &n);
	now = malloc((n ? n : 1) * sizeof(*now));
	cs->rows = calloc(n ? n : 1, sizeof(*cs->rows));
	if (!now || !cs->rows) {
		free(now), free(keys), free(vals);
		return -ENOMEM;
	}
	cs->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	for (long i = 0; i < n; i++) {
		uint64_t before = prev_total(p, keys[i]);
		uint64_t delta = vals[i].oncpu_ns >= before ? vals[i].oncpu_ns - before
							   : vals[i].oncpu_ns; /* pid reused */

		now[i] = (struct total){ keys[i], vals[i].oncpu_ns };
		if (!p->have_prev)
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
		r->pct = interval_s > 0 ? delta / (interval_s * 1e7) : 0;
		memcpy(r->comm, vals[i].comm, sizeof(r->comm));
		r->comm[sizeof(r->comm) - 1] = '\0';
		const char *cg = cgroup_path(r->cgroup_id);

		r->cgroup = strdup(cg ? cg : "?");
	}
	s->baseline = s->baseline || !p->have_prev;
	remove_exited(p, keys, vals, n);
	qsort(now, n, sizeof(*now), by_pid);
	free(p->prev);
	p->prev = now;
	p->nprev = n;
	p->have_prev = true;
	free(keys);
	free(vals);
	return 0;
}

static void cpu_reset(void *state)
{
	struct cpu_probe *p = state;

	p->have_prev = false;
}

static void cpu_stop(void *state)
{
	struct cpu_probe *p = state;

	if (!p)
		return;
	cpu_bpf__destroy(p->skel);
	free(p->prev);
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

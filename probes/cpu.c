/* cpu probe: on-CPU time per process from sched_switch accounting. The
 * kernel keeps cumulative counters of completed slices; each collect reads
 * the processes that ran since the last one, adds the slices still in
 * progress on each CPU, and diffs against the previous reading. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "probes/baseline.h"
#include "probes/cgroup.h"
#include "probes/changed.h"
#include "probes/filter.h"
#include "probes/probe.h"
#include "probes/procfs.h"
#include "probes/sched.h"
#include "probes/slices.h"
#include "probes/threads.h"
#include "bpf/cpu.h"
#include "bpf/touched.h"
#include "sched.skel.h"

struct cpu_probe {
	struct sched_bpf *skel; /* shared with the runq probe (probes/sched.h) */
	struct changed changed;
	struct baseline prev;  /* on-CPU ns per tgid at the last collect */
	uint64_t read_at;      /* CLOCK_MONOTONIC of the last consistent read */
	int online;            /* CPUs online, what 100% per CPU adds up to */
	int possible;          /* slots of the per-CPU maps */
	bool cpu_now;          /* cpu_now loaded: what runs is read on each CPU */
	/* per collect, sized by possible CPUs: each CPU's reading before and
	 * after the entries, its running tgids, its slices in progress */
	struct cpu_now *before, *after;
	uint32_t *tgids;
	struct slice *slices;
	struct filter *filter;
	struct threads *threads; /* while threads are wanted */
};

static void cpu_stop(void *state);

static void *cpu_start(const struct probe_env *env, char *why, size_t whylen)
{
	struct cpu_probe *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->possible = libbpf_num_possible_cpus();
	p->filter = env->filter;
	p->skel = sched_get(env, SCHED_CPU, why, whylen);
	if (!p->skel) {
		int err = errno;

		cpu_stop(p);
		errno = err;
		return NULL;
	}
	p->cpu_now = bpf_program__autoload(p->skel->progs.cpu_now);
	p->before = calloc(p->possible, sizeof(*p->before));
	p->after = calloc(p->possible, sizeof(*p->after));
	p->tgids = calloc(2 * p->possible, sizeof(*p->tgids));
	p->slices = calloc(2 * p->possible, sizeof(*p->slices));
	if (!p->before || !p->after || !p->tgids || !p->slices) {
		probe_why(why, whylen, "sched_switch", -ENOMEM);
		cpu_stop(p);
		errno = ENOMEM;
		return NULL;
	}
	probe_switch_all_cpus(); /* every CPU has a slice in progress to read */
	changed_init(&p->changed, &p->skel->bss->cpu_touched, bpf_map__fd(p->skel->maps.cpu_procs));
	/* a slice that ends while it is read can leave a total lower than
	 * the reading before (see settle): held, not a new process */
	p->prev.hold = 1;
	p->online = sysconf(_SC_NPROCESSORS_ONLN);
	return p;
}

static int by_oncpu(const void *a, const void *b)
{
	uint64_t x = ((const struct cpu_row *)a)->oncpu_ns, y = ((const struct cpu_row *)b)->oncpu_ns;

	return (x < y) - (x > y);
}

/* cpu_now, then what it read into cpus: false if that cannot be done. */
static bool run_cpu_now(struct cpu_probe *p, struct cpu_now *cpus)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	uint32_t zero = 0;

	return !bpf_prog_test_run_opts(bpf_program__fd(p->skel->progs.cpu_now), &run) &&
	       !bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.now), &zero, cpus);
}

/* The slots alone into cpus: the last switch seen taken as what runs. */
static bool read_slots(struct cpu_probe *p, struct cpu_now *cpus)
{
	struct cpu_running slots[p->possible];
	uint32_t zero = 0;

	if (bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.running), &zero, slots))
		return false;
	for (int c = 0; c < p->possible; c++)
		cpus[c] = (struct cpu_now){ .slot = slots[c] };
	return true;
}

/* What each CPU runs as of now, into cpus (one per possible CPU): from
 * cpu_now, else the slots; all empty if neither can be read, and the
 * slices in progress then wait for their switches, as they would with a
 * reading one switch late. */
static void read_cpus(struct cpu_probe *p, struct cpu_now *cpus)
{
	if (!(p->cpu_now && run_cpu_now(p, cpus)) && !read_slots(p, cpus))
		memset(cpus, 0, p->possible * sizeof(*cpus));
}

/* The processes whose slices may be in progress on one CPU (the slot's
 * task and the one found running, where they pass the filter; not the
 * idle task, whose time is in the slot), into out; returns their number,
 * at most 2. */
static int cpu_tgids(const struct cpu_now *c, uint32_t *out)
{
	int n = 0;

	if (c->slot.start_ns && c->slot.wanted && c->slot.tgid)
		out[n++] = c->slot.tgid;
	if (c->read && c->wanted && c->tgid && c->tgid != c->slot.tgid)
		out[n++] = c->tgid;
	return n;
}

/* The idle tasks' time so far: each CPU's total as last read, and the
 * stretches in progress. */
static uint64_t idle_total(const struct cpu_probe *p, int nslices)
{
	uint64_t ns = 0;

	for (int c = 0; c < p->possible; c++)
		ns += p->after[c].slot.idle_ns;
	for (int r = 0; r < nslices; r++)
		if (!p->slices[r].tgid)
			ns += p->slices[r].ns;
	return ns;
}

/* cpu_tgids of every CPU in cpus, into p->tgids; returns their number. */
static int running_tgids(struct cpu_probe *p, const struct cpu_now *cpus)
{
	int n = 0;

	for (int c = 0; c < p->possible; c++)
		n += cpu_tgids(&cpus[c], p->tgids + n);
	return n;
}

/* Read tgid's entry again into keys/vals (n of them), added if it was not
 * there; returns the new count, or -ENOMEM. */
static long reread(int fd, uint32_t tgid, uint32_t **keys, struct cpu_proc **vals, long n)
{
	struct cpu_proc v;
	long i = 0;

	if (bpf_map_lookup_elem(fd, &tgid, &v))
		return n; /* no entry yet: its first slice has not ended */
	while (i < n && (*keys)[i] != tgid)
		i++;
	if (i == n) {
		uint32_t *k = realloc(*keys, (n + 1) * sizeof(**keys));
		struct cpu_proc *nv = k ? realloc(*vals, (n + 1) * sizeof(**vals)) : NULL;

		if (k)
			*keys = k;
		if (!nv)
			return -ENOMEM;
		*vals = nv;
		(*keys)[n++] = tgid;
	}
	(*vals)[i] = v;
	return n;
}

/* A slice that ends while the entries are read is in neither half of the
 * reading: not in its entry as read, nor among the slices in progress
 * after. A CPU whose slot changed during the read has switched; only what
 * it ran when the read began can be long (a spinner's slice may last
 * seconds; any later one began during the read), so those processes'
 * entries are read again, then the CPUs, until none switched over a
 * re-read. What still ends in the last window is short, and held: the
 * next reading has it (see cpu_start). Returns the count, or -ENOMEM. */
#define SETTLE_TRIES 4

static long settle(struct cpu_probe *p, int fd, uint64_t *now, uint32_t **keys,
		   struct cpu_proc **vals, long n)
{
	for (int t = 0; t < SETTLE_TRIES && n >= 0; t++) {
		bool switched = false;

		for (int c = 0; c < p->possible && n >= 0; c++) {
			const struct cpu_now *b = &p->before[c];
			uint32_t tgid[2];
			int k;

			if (b->slot.start_ns == p->after[c].slot.start_ns || !b->slot.start_ns)
				continue;
			switched = true;
			k = cpu_tgids(b, tgid);
			for (int i = 0; i < k && n >= 0; i++)
				n = reread(fd, tgid[i], keys, vals, n);
		}
		if (!switched)
			break;
		memcpy(p->before, p->after, p->possible * sizeof(*p->after));
		*now = probe_mono_ns();
		read_cpus(p, p->after);
	}
	return n;
}

static int cpu_collect(void *state, struct snapshot *s, double interval_s)
{
	struct cpu_probe *p = state;
	struct cpu_snap *cs = &s->cpu;
	int fd = bpf_map__fd(p->skel->maps.cpu_procs);
	bool report = p->prev.valid;
	uint32_t *keys;
	uint64_t now_mono, idle;
	struct cpu_proc *vals;
	int nslices;
	long n;

	/* A baseline reading takes the entries as they are, so the slices in
	 * progress are closed first, into entries (a task running since
	 * attach has none yet): one made later would bring its time from
	 * before the baseline into the next interval. */
	if (!report)
		probe_switch_all_cpus();
	/* After that, running tasks are read without making them switch: a lone
	 * spinner may not switch for seconds, and forcing it would disturb
	 * what is measured. What each CPU runs is read first, so those
	 * processes are looked up even if their entries did not change, then
	 * again after the entries, for the exact in-progress time. */
	read_cpus(p, p->before);
	n = changed_read(&p->changed, fd, !report, p->tgids, running_tgids(p, p->before),
			 sizeof(*vals), &keys, (void **)&vals);
	if (n < 0)
		return n;
	now_mono = probe_mono_ns(); /* the clock bpf_ktime_get_ns reads */
	read_cpus(p, p->after);
	n = settle(p, fd, &now_mono, &keys, &vals, n);
	if (n < 0) {
		free(keys), free(vals);
		return n;
	}
	nslices = slices_in_progress(p->after, p->possible, now_mono, procfs_runtime, p->slices);
	cs->rows = calloc(n ? n : 1, sizeof(*cs->rows));
	cs->gone = calloc(n ? n : 1, sizeof(*cs->gone));
	if (!cs->rows || !cs->gone) {
		free(keys), free(vals);
		return -ENOMEM;
	}
	cs->ncpus = p->online;
	/* The window is this probe's own: under full load ebtop itself may wait
	 * for a CPU between the collector's clock read and this one. */
	cs->interval_s = report ? (now_mono - p->read_at) / 1e9 : 0;
	p->read_at = now_mono;
	(void)interval_s;
	idle = baseline_step(&p->prev, 0, idle_total(p, nslices));
	if (report)
		cs->idle_ns = idle;
	for (long i = 0; i < n; i++) {
		uint32_t pid = keys[i];
		const struct cpu_proc *v = &vals[i];
		uint64_t total = v->oncpu_ns, delta;

		for (int r = 0; r < nslices; r++)
			if (p->slices[r].tgid == pid)
				total += p->slices[r].ns;
		delta = baseline_step(&p->prev, pid, total);

		if (v->exited) { /* reported now for the last time */
			bpf_map_delete_elem(fd, &pid);
			baseline_forget(&p->prev, pid);
			if (report)
				cs->gone[cs->ngone++] = pid;
		}
		if (!report || !delta)
			continue;
		struct cpu_row *r = &cs->rows[cs->n++];

		r->pid = pid;
		r->uid = v->uid;
		r->threads = v->nr_threads;
		r->oncpu_ns = delta;
		r->cgroup_id = v->cgroup_id;
		r->pct = cs->interval_s > 0 ? delta / (cs->interval_s * 1e7) : 0;
		memcpy(r->comm, v->comm, sizeof(r->comm));
		r->comm[sizeof(r->comm) - 1] = '\0';
		const char *cg = cgroup_path(r->cgroup_id);

		r->cgroup = strdup(cg ? cg : "?");
	}
	s->baseline = s->baseline || !report;
	baseline_complete(&p->prev);
	qsort(cs->rows, cs->n, sizeof(*cs->rows), by_oncpu);
	free(keys);
	free(vals);
	return p->threads ? threads_read(p->threads, cs, cs->interval_s, report) : 0;
}

static int cpu_set_threads(void *state, bool on, char *why, size_t whylen)
{
	struct cpu_probe *p = state;

	if (!on) {
		threads_close(p->threads);
		p->threads = NULL;
		return 0;
	}
	if (!p->threads && !(p->threads = threads_open(p->filter, why, whylen)))
		return -errno;
	return 0;
}

static void cpu_reset(void *state)
{
	struct cpu_probe *p = state;

	baseline_reset(&p->prev);
	if (p->threads)
		threads_reset(p->threads);
}

static void cpu_stop(void *state)
{
	struct cpu_probe *p = state;

	if (!p)
		return;
	changed_fini(&p->changed);
	threads_close(p->threads);
	sched_put(p->skel);
	baseline_free(&p->prev);
	free(p->before);
	free(p->after);
	free(p->tgids);
	free(p->slices);
	free(p);
}

const struct probe_ops cpu_probe_ops = {
	.start = cpu_start,
	.collect = cpu_collect,
	.reset = cpu_reset,
	.stop = cpu_stop,
	.set_threads = cpu_set_threads,
};

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
#include "baseline.h"
#include "cgroup.h"
#include "changed.h"
#include "filter.h"
#include "probe.h"
#include "procfs.h"
#include "cpu.h"
#include "cpu.skel.h"

struct cpu_probe {
	struct cpu_bpf *skel;
	struct changed changed;
	struct baseline prev;  /* on-CPU ns per tgid at the last collect */
	uint64_t read_at;      /* CLOCK_MONOTONIC of the last consistent read */
	int online;            /* CPUs online, what 100% per CPU adds up to */
	int possible;          /* slots of the per-CPU running map */
};

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
	probe_switch_all_cpus(); /* every CPU has a slice in progress to read */
	changed_init(&p->changed, &p->skel->bss->epoch, &p->skel->bss->touched_head,
		     p->skel->bss->touched, bpf_map__fd(p->skel->maps.cpu_procs));
	/* a slice that ends while it is read can leave a total lower than
	 * the reading before (see in_progress): held, not a new process */
	p->prev.hold = 1;
	p->online = sysconf(_SC_NPROCESSORS_ONLN);
	p->possible = libbpf_num_possible_cpus();
	return p;
}

static int by_oncpu(const void *a, const void *b)
{
	uint64_t x = ((const struct cpu_row *)a)->oncpu_ns, y = ((const struct cpu_row *)b)->oncpu_ns;

	return (x < y) - (x > y);
}

/* The slices in progress as of now: their tgids and ns so far, for the
 * CPUs running a task that passed the filter; returns their number. A
 * task's ns so far are what the kernel charged it since switch-in (its
 * runtime now, to the last tick, less the slot's); an idle task's are wall
 * time since switch-in, as in the kernel's accounting of idle. Read after
 * the entries, with now taken before this read, so an in-progress slice is
 * never counted twice: if it ended since the entries were read, the
 * kernel's total for it is not in them yet. That can make a reading lower
 * than the one before (p->prev holds it, see cpu_start); the next reading
 * has the slice. */
static int in_progress(struct cpu_probe *p, uint64_t now, uint32_t *tgid, uint64_t *ns)
{
	struct cpu_running run[p->possible];
	uint32_t zero = 0;
	uint64_t rt;
	int n = 0;

	if (bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.running), &zero, run))
		return 0;
	for (int c = 0; c < p->possible; c++) {
		if (!run[c].start_ns || !run[c].wanted || run[c].start_ns >= now)
			continue;
		tgid[n] = run[c].tgid;
		if (!run[c].pid)
			ns[n++] = now - run[c].start_ns;
		else if (now == UINT64_MAX) /* only the tgids are wanted */
			ns[n++] = 0;
		else if (!procfs_runtime(run[c].tgid, run[c].pid, &rt) && rt > run[c].rt_start)
			ns[n++] = rt - run[c].rt_start;
	}
	return n;
}

static int cpu_collect(void *state, struct snapshot *s, double interval_s)
{
	struct cpu_probe *p = state;
	struct cpu_snap *cs = &s->cpu;
	int fd = bpf_map__fd(p->skel->maps.cpu_procs);
	bool report = p->prev.valid;
	uint32_t *keys, running[p->possible];
	uint64_t now_mono, elapsed[p->possible];
	struct cpu_proc *vals;
	int nrun;
	long n;

	/* A baseline reading takes the entries as they are, so the slices in
	 * progress are closed first, into entries (a task running since
	 * attach has none yet): one made later would bring its time from
	 * before the baseline into the next interval. */
	if (!report)
		probe_switch_all_cpus();
	/* After that, running tasks are read without making them switch: a lone
	 * spinner may not switch for seconds, and forcing it would disturb
	 * what is measured. Their tgids are read first, so they are looked
	 * up even if their entries did not change, then read again after
	 * the entries, for the exact in-progress time. */
	nrun = in_progress(p, UINT64_MAX, running, elapsed);
	n = changed_read(&p->changed, fd, !report, running, nrun, sizeof(*vals), &keys,
			 (void **)&vals);
	if (n < 0)
		return n;
	now_mono = probe_mono_ns(); /* the clock bpf_ktime_get_ns reads */
	nrun = in_progress(p, now_mono, running, elapsed);
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
	for (long i = 0; i < n; i++) {
		uint32_t pid = keys[i];
		const struct cpu_proc *v = &vals[i];
		uint64_t total = v->oncpu_ns, delta;

		for (int r = 0; r < nrun; r++)
			if (running[r] == pid)
				total += elapsed[r];
		delta = baseline_step(&p->prev, pid, total);

		if (v->exited) { /* reported now for the last time */
			bpf_map_delete_elem(fd, &pid);
			baseline_forget(&p->prev, pid);
			if (report)
				cs->gone[cs->ngone++] = pid;
		}
		if (!report)
			continue;
		if (pid == 0) {
			cs->idle_ns = delta;
			continue;
		}
		if (!delta)
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
	changed_fini(&p->changed);
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

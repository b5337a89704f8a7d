/* sys probe: syscall counts per syscall and per process. The programs stay
 * loaded but are attached only while something consumes them (the sys pane
 * on screen, or a headless mode), so a hidden pane costs nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <seccomp.h>
#include "probes/baseline.h"
#include "probes/changed.h"
#include "probes/filter.h"
#include "probes/mapread.h"
#include "probes/probe.h"
#include "bpf/sys.h"
#include "sys.skel.h"

enum { F_COUNT, F_ERRORS, F_LAT, NFIELDS }; /* baseline key = id * NFIELDS + field */

struct sys_probe {
	struct sys_bpf *skel;
	struct bpf_program *exit_prog, *enter_prog, *pexit_prog;
	struct bpf_link *exit_link, *enter_link, *pexit_link;
	struct changed changed;
	bool latency, active;
	int ncpus;
	struct baseline per_nr, per_proc;
	char *names[SYS_NR_MAX];
};

/* Names from libseccomp's table for the running architecture. */
static const char *sys_name(struct sys_probe *p, uint32_t nr)
{
	if (!p->names[nr]) {
		char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		if (!n && asprintf(&n, "syscall_%u", nr) < 0)
			return "?";
		p->names[nr] = n;
	}
	return p->names[nr];
}

static struct bpf_program *pick(struct bpf_object *obj, const char *btf, const char *raw)
{
	struct bpf_program *a = bpf_object__find_program_by_name(obj, btf);

	return bpf_program__autoload(a) ? a : bpf_object__find_program_by_name(obj, raw);
}

static void sys_stop(void *state)
{
	struct sys_probe *p = state;

	if (!p)
		return;
	bpf_link__destroy(p->exit_link);
	bpf_link__destroy(p->enter_link);
	bpf_link__destroy(p->pexit_link);
	changed_fini(&p->changed);
	sys_bpf__destroy(p->skel);
	baseline_free(&p->per_nr);
	baseline_free(&p->per_proc);
	for (int i = 0; i < SYS_NR_MAX; i++)
		free(p->names[i]);
	free(p);
}

static void *sys_start(const struct probe_env *env, char *why, size_t whylen)
{
	struct sys_probe *p = calloc(1, sizeof(*p));
	int err = 0;

	if (!p)
		return NULL;
	PROBE_OPEN_LOAD_CONFIGURED(sys_bpf, p->skel, env->filter, err, ({
		p->skel->rodata->with_latency = env->sys_latency;
		p->skel->rodata->nr_execve = seccomp_syscall_resolve_name("execve");
		p->skel->rodata->nr_execveat = seccomp_syscall_resolve_name("execveat");
	}));
	if (!err) {
		p->exit_prog = pick(p->skel->obj, "sys_exit_btf", "sys_exit_raw");
		p->enter_prog = pick(p->skel->obj, "sys_enter_btf", "sys_enter_raw");
		p->pexit_prog = pick(p->skel->obj, "sys_pexit_btf", "sys_pexit_raw");
		/* exits are marked even while hidden, so no stale entry outlives a process */
		p->pexit_link = bpf_program__attach(p->pexit_prog);
		if (!p->pexit_link)
			err = -errno;
	}
	if (err) {
		probe_why(why, whylen, "raw_syscalls sys_exit", err);
		sys_stop(p);
		errno = -err;
		return NULL;
	}
	p->latency = env->sys_latency;
	p->ncpus = libbpf_num_possible_cpus();
	changed_init(&p->changed, &p->skel->bss->epoch, &p->skel->bss->touched_head,
		     p->skel->bss->touched, bpf_map__fd(p->skel->maps.sys_procs));
	return p;
}

static int sys_set_active(void *state, bool on)
{
	struct sys_probe *p = state;

	if (on == p->active)
		return 0;
	if (!on) {
		bpf_link__destroy(p->exit_link);
		bpf_link__destroy(p->enter_link);
		p->exit_link = p->enter_link = NULL;
		p->active = false;
		return 0;
	}
	p->exit_link = bpf_program__attach(p->exit_prog);
	if (!p->exit_link)
		return -errno;
	if (p->latency && !(p->enter_link = bpf_program__attach(p->enter_prog))) {
		int err = -errno;

		bpf_link__destroy(p->exit_link);
		p->exit_link = NULL;
		return err;
	}
	p->active = true;
	/* counts did not move while detached: start a new interval */
	baseline_reset(&p->per_nr);
	baseline_reset(&p->per_proc);
	return 0;
}

static int by_count(const void *a, const void *b)
{
	uint64_t x = ((const struct sys_row *)a)->count, y = ((const struct sys_row *)b)->count;

	return (x < y) - (x > y);
}

static int proc_by_count(const void *a, const void *b)
{
	uint64_t x = ((const struct sys_proc_row *)a)->count;
	uint64_t y = ((const struct sys_proc_row *)b)->count;

	return (x < y) - (x > y);
}

/* The max is per interval: read, then clear. A call finishing between the
 * two may lose its max; the counts live in another map and lose nothing. */
static double take_max(struct sys_probe *p, uint32_t nr)
{
	int fd = bpf_map__fd(p->skel->maps.lat_max);
	__u64 v[p->ncpus], max = 0;

	if (bpf_map_lookup_elem(fd, &nr, v))
		return 0;
	for (int c = 0; c < p->ncpus; c++) {
		if (v[c] > max)
			max = v[c];
		v[c] = 0;
	}
	if (max)
		bpf_map_update_elem(fd, &nr, v, BPF_ANY);
	return max;
}

static int collect_nr(struct sys_probe *p, struct sys_snap *ss, double secs, bool report)
{
	int fd = bpf_map__fd(p->skel->maps.per_nr);
	size_t vsz = sizeof(struct sys_stat) * p->ncpus;
	uint32_t *keys;
	struct sys_stat *vals;
	long n = map_read_all(fd, sizeof(*keys), vsz, (void **)&keys, (void **)&vals);

	if (n < 0)
		return n;
	ss->rows = calloc(n ? n : 1, sizeof(*ss->rows));
	if (!ss->rows) {
		free(keys), free(vals);
		return -ENOMEM;
	}
	for (long i = 0; i < n; i++) {
		struct sys_stat sum = { 0 };
		const struct sys_stat *pc = (const struct sys_stat *)((char *)vals + i * vsz);

		for (int c = 0; c < p->ncpus; c++) {
			sum.count += pc[c].count;
			sum.errors += pc[c].errors;
			sum.lat_ns += pc[c].lat_ns;
		}
		if (!sum.count) /* never called: nothing to keep */
			continue;
		uint64_t dc = baseline_step(&p->per_nr, keys[i] * NFIELDS + F_COUNT, sum.count);
		uint64_t de = baseline_step(&p->per_nr, keys[i] * NFIELDS + F_ERRORS, sum.errors);
		uint64_t dl = baseline_step(&p->per_nr, keys[i] * NFIELDS + F_LAT, sum.lat_ns);

		if (!report || !dc)
			continue;
		struct sys_row *r = &ss->rows[ss->n++];

		r->nr = keys[i];
		snprintf(r->name, sizeof(r->name), "%s", sys_name(p, keys[i]));
		r->count = dc;
		r->errors = de;
		r->per_s = dc / secs;
		r->errors_per_s = r->errors / secs;
		if (p->latency) {
			r->avg_lat_ns = dl / (double)dc;
			r->max_lat_ns = take_max(p, keys[i]);
		}
		ss->total_per_s += r->per_s;
	}
	qsort(ss->rows, ss->n, sizeof(*ss->rows), by_count);
	baseline_complete(&p->per_nr);
	free(keys);
	free(vals);
	return 0;
}

static int collect_procs(struct sys_probe *p, struct sys_snap *ss, double secs, bool report)
{
	int fd = bpf_map__fd(p->skel->maps.sys_procs);
	size_t vsz = sizeof(struct sys_proc) * p->ncpus;
	struct sys_proc_row *rows;
	size_t nr = 0;
	uint32_t *keys;
	char *vals;
	long n = changed_read(&p->changed, fd, !p->per_proc.valid, NULL, 0, vsz, &keys,
			      (void **)&vals);

	if (n < 0)
		return n;
	rows = calloc(n ? n : 1, sizeof(*rows));
	if (!rows) {
		free(keys), free(vals);
		return -ENOMEM;
	}
	for (long i = 0; i < n; i++) {
		uint32_t pid = keys[i];
		const struct sys_proc *pc = (const struct sys_proc *)(vals + i * vsz);
		uint64_t count = 0, errors = 0, comm_ns = 0, dc, de;
		uint32_t exited = 0;
		const char *comm = "";

		for (int c = 0; c < p->ncpus; c++) {
			count += pc[c].count;
			errors += pc[c].errors;
			exited |= pc[c].exited;
			if (pc[c].comm[0] && pc[c].comm_ns >= comm_ns) {
				comm = pc[c].comm;
				comm_ns = pc[c].comm_ns;
			}
		}
		dc = baseline_step(&p->per_proc, (uint64_t)pid * 2, count);
		de = baseline_step(&p->per_proc, (uint64_t)pid * 2 + 1, errors);
		if (report && dc) {
			rows[nr] = (struct sys_proc_row){ .pid = pid, .count = dc, .errors = de,
							  .per_s = dc / secs };
			snprintf(rows[nr].comm, sizeof(rows[nr].comm), "%.15s", comm);
			nr++;
		}
		if (exited) { /* reported above for the last time */
			bpf_map_delete_elem(fd, &pid);
			baseline_forget(&p->per_proc, (uint64_t)pid * 2);
			baseline_forget(&p->per_proc, (uint64_t)pid * 2 + 1);
		}
	}
	qsort(rows, nr, sizeof(*rows), proc_by_count);
	ss->np = nr < SYS_TOP_PROCS ? nr : SYS_TOP_PROCS;
	ss->procs = rows;
	baseline_complete(&p->per_proc);
	free(keys);
	free(vals);
	return 0;
}

static int sys_collect(void *state, struct snapshot *s, double interval_s)
{
	struct sys_probe *p = state;
	bool report = p->per_nr.valid && interval_s > 0;
	int err;

	s->sys.collecting = p->active;
	s->sys.latency = p->latency;
	if (!p->active)
		return 0;
	err = collect_nr(p, &s->sys, interval_s, report);
	if (!err)
		err = collect_procs(p, &s->sys, interval_s, report);
	return err;
}

static void sys_reset(void *state)
{
	struct sys_probe *p = state;

	baseline_reset(&p->per_nr);
	baseline_reset(&p->per_proc);
}

const struct probe_ops sys_probe_ops = {
	.start = sys_start,
	.collect = sys_collect,
	.reset = sys_reset,
	.stop = sys_stop,
	.set_active = sys_set_active,
};

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
#include "bpf/touched.h"
#include "sys.skel.h"

enum { F_COUNT, F_ERRORS, F_LAT, NFIELDS }; /* baseline key = id * NFIELDS + field */

/* A CPU's slot as read (read_slots) */
struct slot_read {
	bool ok;
	struct sys_last v;
};

struct sys_probe {
	struct sys_bpf *skel;
	struct bpf_program *exit_prog, *enter_prog, *pexit_prog;
	struct bpf_link *exit_link, *enter_link, *pexit_link;
	struct changed changed;
	bool latency, active;
	int ncpus;
	struct baseline per_nr, per_proc;
	char *names[SYS_NR_MAX];
	/* reading the CPUs' slots: two copies, before and after */
	struct sys_last *slot_copies;
	struct slot_read *slots;
	/* processes seen exited at the last refresh, not yet deleted (sorted) */
	uint32_t *dying;
	size_t ndying;
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
	free(p->slot_copies);
	free(p->slots);
	free(p->dying);
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
		p->exit_prog = probe_pick(p->skel->obj, "sys_exit_btf", "sys_exit_raw");
		p->enter_prog = probe_pick(p->skel->obj, "sys_enter_btf", "sys_enter_raw");
		p->pexit_prog = probe_pick(p->skel->obj, "sys_pexit_btf", "sys_pexit_raw");
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
	/* a count moved between two reads shows a refresh late: lower
	 * totals meanwhile count nothing (add_slots) */
	p->per_proc.hold = 1;
	p->slot_copies = calloc(2 * p->ncpus, sizeof(*p->slot_copies));
	p->slots = calloc(2 * p->ncpus, sizeof(*p->slots));
	if (!p->slot_copies || !p->slots) {
		sys_stop(p);
		errno = ENOMEM;
		return NULL;
	}
	changed_init(&p->changed, &p->skel->bss->sys_touched, bpf_map__fd(p->skel->maps.sys_procs));
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

/* Reads the CPUs' slots (bpf/sys.h) whole, twice: a CPU's is kept (ok)
 * where both copies have the same even seq, the program not moving counts
 * between them. */
static void read_slots(struct sys_probe *p, struct slot_read *out)
{
	int fd = bpf_map__fd(p->skel->maps.sys_last);
	struct sys_last *x = p->slot_copies, *y = x + p->ncpus;
	uint32_t zero = 0;

	memset(out, 0, p->ncpus * sizeof(*out));
	if (bpf_map_lookup_elem(fd, &zero, x) || bpf_map_lookup_elem(fd, &zero, y))
		return;
	for (int c = 0; c < p->ncpus; c++)
		out[c] = (struct slot_read){ x[c].seq == y[c].seq && !(y[c].seq & 1), y[c] };
}

/* Did CPU c's program move counts between the two reads (or could one of
 * them not be read whole)? */
static bool slot_moved(const struct slot_read *before, const struct slot_read *after, int c)
{
	return !after[c].ok || !before[c].ok || after[c].v.seq != before[c].v.seq;
}

/* The row of pid in keys (n of them, sorted copy in order[]: pid, index). */
static long row_of(const uint32_t (*order)[2], long n, uint32_t pid)
{
	const uint32_t(*hit)[2] = bsearch(&pid, order, n, sizeof(*order), cmp_u32);

	return hit ? (long)(*hit)[1] : -1;
}

/* A process's calls are in its sys_procs entry and, since it last began
 * calling on a CPU where another process called before, in that CPU's
 * slot, until the next other process calls there and moves them. Counted
 * twice they must never be: each total is an entry read before the slots
 * it adds, so what a slot held when read had not been moved yet. What was
 * moved between the two reads is in neither: the slots read before the
 * entries tell which processes had counts moved (a CPU whose seq went on),
 * and their entries are read again, then the slots again, until no CPU
 * moved any (three rounds at most; the rest shows at the next refresh,
 * the baselines holding meanwhile). */
static void add_slots(struct sys_probe *p, int fd, uint32_t *keys, char *vals, long n,
		      struct slot_read *before, struct slot_read *after)
{
	size_t vsz = sizeof(struct sys_proc) * p->ncpus;
	uint32_t(*order)[2] = malloc((n ? n : 1) * sizeof(*order));

	if (!order) {
		memset(after, 0, p->ncpus * sizeof(*after)); /* no slot added */
		return;
	}
	for (long i = 0; i < n; i++) {
		order[i][0] = keys[i];
		order[i][1] = (uint32_t)i;
	}
	qsort(order, n, sizeof(*order), cmp_u32);
	for (int round = 0; round < 3; round++) {
		bool moved = false;

		read_slots(p, after);
		for (int c = 0; c < p->ncpus; c++)
			moved |= slot_moved(before, after, c);
		if (!moved)
			break;
		if (round == 2) /* no entry is read after the last slots */
			break;
		for (int c = 0; c < p->ncpus; c++) {
			long i;

			if (!slot_moved(before, after, c) || !before[c].v.tgid ||
			    (i = row_of(order, n, before[c].v.tgid)) < 0)
				continue;
			if (bpf_map_lookup_elem(fd, &keys[i], vals + i * vsz))
				memset(vals + i * vsz, 0, vsz); /* gone: reported at its exit */
		}
		memcpy(before, after, p->ncpus * sizeof(*after));
	}
	for (int c = 0; c < p->ncpus; c++) {
		long i;

		if (!after[c].ok || !after[c].v.tgid || (i = row_of(order, n, after[c].v.tgid)) < 0)
			continue;
		struct sys_proc *pc = (struct sys_proc *)(vals + i * vsz);

		pc[c].count += after[c].v.count;
		pc[c].errors += after[c].v.errors;
	}
	free(order);
}

/* May an exited process's entry go? Its counts are final once it is dead
 * and in no CPU's slot: no call adds to it then and no slot moves counts
 * into it. Dead before this refresh's first read of the slots it was if
 * seen exited at the last refresh; in no slot if that read, whole, holds
 * other processes (one still in a slot waits until another process calls
 * on that CPU and moves its counts). */
static bool entry_final(const struct sys_probe *p, uint32_t pid, const uint32_t *in_slots,
			size_t nslots, bool slots_whole)
{
	if (!slots_whole || !p->ndying || /* none yet: p->dying may be NULL */
	    !bsearch(&pid, p->dying, p->ndying, sizeof(*p->dying), cmp_u32))
		return false;
	for (size_t i = 0; i < nslots; i++)
		if (in_slots[i] == pid)
			return false;
	return true;
}

static int collect_procs(struct sys_probe *p, struct sys_snap *ss, double secs, bool report)
{
	int fd = bpf_map__fd(p->skel->maps.sys_procs);
	size_t vsz = sizeof(struct sys_proc) * p->ncpus;
	struct slot_read *before = p->slots, *after = before + p->ncpus;
	uint32_t *extra, *dying = NULL;
	size_t nslots = 0, ndying = 0;
	struct sys_proc_row *rows;
	bool slots_whole = true;
	size_t nr = 0;
	uint32_t *keys;
	char *vals;
	long n;

	/* read besides the entries changed this epoch: the processes in the
	 * slots (their entries may not have changed) and the dying ones */
	extra = malloc((p->ncpus + p->ndying) * sizeof(*extra));
	if (!extra)
		return -ENOMEM;
	read_slots(p, before);
	for (int c = 0; c < p->ncpus; c++) {
		if (before[c].v.tgid)
			extra[nslots++] = before[c].v.tgid;
		slots_whole &= before[c].ok;
	}
	if (p->ndying)
		memcpy(extra + nslots, p->dying, p->ndying * sizeof(*extra));
	n = changed_read(&p->changed, fd, !p->per_proc.valid, extra, nslots + p->ndying, vsz, &keys,
			 (void **)&vals);
	if (n < 0) {
		free(extra);
		return n;
	}
	add_slots(p, fd, keys, vals, n, before, after);
	rows = calloc(n ? n : 1, sizeof(*rows));
	dying = malloc((n ? n : 1) * sizeof(*dying));
	if (!rows || !dying) {
		free(extra), free(keys), free(vals), free(rows), free(dying);
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
		if (!exited)
			continue;
		/* reported above for the last time once final; until then
		 * read at each refresh */
		if (entry_final(p, pid, extra, nslots, slots_whole)) {
			bpf_map_delete_elem(fd, &pid);
			baseline_forget(&p->per_proc, (uint64_t)pid * 2);
			baseline_forget(&p->per_proc, (uint64_t)pid * 2 + 1);
		} else {
			dying[ndying++] = pid;
		}
	}
	qsort(rows, nr, sizeof(*rows), proc_by_count);
	qsort(dying, ndying, sizeof(*dying), cmp_u32);
	free(p->dying);
	p->dying = dying;
	p->ndying = ndying;
	ss->np = nr < SYS_TOP_PROCS ? nr : SYS_TOP_PROCS;
	ss->procs = rows;
	baseline_complete(&p->per_proc);
	free(extra);
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

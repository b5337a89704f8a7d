/* stack probe: time by stack, on-CPU or off-CPU (o switches). On-CPU, a
 * software cpu-clock perf event per CPU (no hardware counters needed) runs
 * bpf/stack.bpf.c at --prof-hz; off-CPU, its sched_switch program adds up
 * the time tasks spend blocked. Each refresh takes the interval's counts
 * out of the kernel (read and deleted, so the map holds one interval) and
 * names their frames: kernel ones from /proc/kallsyms, user ones with
 * libdwfl. It costs, so it runs only while the pane is shown or --prof
 * asks for it headless. */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "probes/filter.h"
#include "probes/ksyms.h"
#include "probes/mapread.h"
#include "probes/probe.h"
#include "probes/usyms.h"
#include "bpf/stack.h"
#include "stack.skel.h"

/* stacks named per refresh, the most sampled: a bound on the work */
#define STACK_NAMED 2000

struct stack_probe {
	struct stack_bpf *skel;
	int ncpus;
	unsigned hz;
	struct bpf_link **links;  /* on-CPU: one per CPU while active */
	struct bpf_link *off_link; /* off-CPU: the sched_switch program */
	struct bpf_program *off_prog;
	bool active, offcpu;
	struct filter *filter;    /* for the load, when sampling first starts */
	uint64_t min_us;          /* --offcpu-min (or its default), likewise */
	int kallsyms_fd;          /* opened at start, while ebtop may read addresses */
	struct ksyms *ksyms;      /* read from it at the first kernel frame */
	struct usyms *usyms;
	uint64_t samples_seen, lost_seen;
};

static void detach(struct stack_probe *p)
{
	for (int c = 0; c < p->ncpus; c++) {
		bpf_link__destroy(p->links[c]);
		p->links[c] = NULL;
	}
	bpf_link__destroy(p->off_link);
	p->off_link = NULL;
	p->active = false;
}

static void stack_stop(void *state)
{
	struct stack_probe *p = state;

	if (!p)
		return;
	if (p->links)
		detach(p);
	free(p->links);
	stack_bpf__destroy(p->skel);
	ksyms_free(p->ksyms);
	if (p->kallsyms_fd >= 0)
		close(p->kallsyms_fd);
	usyms_free(p->usyms);
	free(p);
}

/* The BPF object loads when sampling first starts, not with the others:
 * most runs never show this pane, and start-up is the verifier's time.
 * The kallsyms file is opened now, while ebtop may still read it. */
static void *stack_start(const struct probe_env *env, char *why, size_t whylen)
{
	struct stack_probe *p = calloc(1, sizeof(*p));

	(void)why, (void)whylen;
	if (!p)
		return NULL;
	p->kallsyms_fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC);
	p->filter = env->filter;
	p->min_us = env->offcpu_min_us ? env->offcpu_min_us : STACK_OFFCPU_MIN_US_DEFAULT;
	p->hz = env->prof_hz ? env->prof_hz : STACK_HZ_DEFAULT;
	p->offcpu = env->offcpu;
	p->ncpus = libbpf_num_possible_cpus();
	p->links = calloc(p->ncpus > 0 ? p->ncpus : 1, sizeof(*p->links));
	p->usyms = usyms_new();
	if (p->ncpus <= 0 || !p->links || !p->usyms) {
		stack_stop(p);
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

static int load(struct stack_probe *p)
{
	int err = 0;

	if (p->skel)
		return 0;
	PROBE_OPEN_LOAD_CONFIGURED(stack_bpf, p->skel, p->filter, err,
				   p->skel->rodata->offcpu_min_ns = p->min_us * 1000);
	if (!err)
		p->off_prog = probe_pick(p->skel->obj, "off_switch_btf", "off_switch_raw");
	return err;
}

static int attach_oncpu(struct stack_probe *p)
{
	int opened = 0, err = 0;

	for (int c = 0; c < p->ncpus; c++) {
		struct perf_event_attr attr = {
			.type = PERF_TYPE_SOFTWARE,
			.size = sizeof(attr),
			.config = PERF_COUNT_SW_CPU_CLOCK,
			.freq = 1,
			.sample_freq = p->hz,
		};
		int fd = syscall(SYS_perf_event_open, &attr, -1, c, -1, PERF_FLAG_FD_CLOEXEC);

		if (fd < 0) {
			if (errno != ENODEV) /* a possible CPU that is not online */
				err = -errno;
			continue;
		}
		p->links[c] = bpf_program__attach_perf_event(p->skel->progs.on_sample, fd);
		if (!p->links[c]) {
			err = -errno;
			close(fd);
			continue;
		}
		opened++;
	}
	return opened ? 0 : err ? err : -ENODEV;
}

static int stack_set_active(void *state, bool on)
{
	struct stack_probe *p = state;
	int err;

	if (on == p->active)
		return 0;
	detach(p);
	if (!on)
		return 0;
	if ((err = load(p)))
		return err;
	if (p->offcpu)
		err = (p->off_link = bpf_program__attach(p->off_prog)) ? 0 : -errno;
	else
		err = attach_oncpu(p);
	if (err) {
		detach(p);
		return err;
	}
	p->active = true;
	return 0;
}

static int stack_set_mode(void *state, int mode, char *why, size_t len)
{
	struct stack_probe *p = state;
	bool was = p->active;
	int err = 0;

	if ((mode == STACK_OFFCPU) == p->offcpu)
		return 0;
	detach(p);
	p->offcpu = mode == STACK_OFFCPU;
	if (!p->skel) /* not loaded yet: nothing left of the other mode */
		return was ? stack_set_active(p, true) : 0;
	/* nothing of the other mode is left */
	map_clear(bpf_map__fd(p->skel->maps.counts), sizeof(struct stack_key));
	map_clear(bpf_map__fd(p->skel->maps.sleepers), sizeof(__u32));
	map_clear(bpf_map__fd(p->skel->maps.stacks), sizeof(__u32));
	p->samples_seen = p->skel->bss->samples;
	p->lost_seen = p->skel->bss->lost;
	if (was && (err = stack_set_active(p, true)))
		snprintf(why, len, "stack: cannot attach %s: %s", p->offcpu ? "at sched_switch" : "perf events",
			 strerror(-err));
	return err;
}

/* Frames of one stack id into out (leaf first, as the kernel keeps them),
 * how many; 0 when the id holds none (deleted, or an error id). */
static int read_ips(int fd, int32_t id, uint64_t *out)
{
	int n = 0;

	if (id < 0 || bpf_map_lookup_elem(fd, &id, out))
		return 0;
	while (n < STACK_DEPTH && out[n])
		n++;
	return n;
}

/* A frame's name (its suffix after it); one the buffer has no room for
 * is left out, the stack shorter. */
static void names_add(struct stack_frames *f, const char *name, const char *suffix)
{
	stack_frames_add(f, name, strlen(name), suffix);
}

static bool tracing_frame(const char *name)
{
	return !strncmp(name, "bpf_prog_", 9) || !strncmp(name, "bpf_trace_run", 13) ||
	       !strncmp(name, "__traceiter_", 12) || !strncmp(name, "__bpf_trace_", 12);
}

/* The row's frames, root first: the user stack's outermost frame to its
 * innermost, then the kernel's likewise. A return address names the call
 * that made it, one byte before: past the leaf, ips are those. */
static void name_frames(struct stack_probe *p, int fd, const struct stack_key *k,
			struct stack_row *row)
{
	uint64_t ips[STACK_DEPTH];
	char name[STACK_FRAME_MAX];
	struct stack_frames f = { 0 };
	int n;

	n = read_ips(fd, k->user, ips);
	if (!n && k->user != -EFAULT) /* -EFAULT: a kernel thread, no user stack */
		names_add(&f, "[lost]", "");
	/* as deep as the kernel keeps: its outer callers are not known */
	if (n == STACK_DEPTH)
		names_add(&f, "[truncated]", "");
	for (int i = n - 1; i >= 0; i--) {
		usyms_name(p->usyms, k->tgid, i ? ips[i] - 1 : ips[i], name, sizeof(name));
		names_add(&f, name, "");
	}
	n = read_ips(fd, k->kernel, ips);
	if (n && p->kallsyms_fd >= 0) {
		p->ksyms = ksyms_read(p->kallsyms_fd);
		p->kallsyms_fd = -1;
	}
	if (!n && k->kernel != -EFAULT && k->kernel < 0)
		names_add(&f, "[lost]", "_[k]");
	if (n == STACK_DEPTH)
		names_add(&f, "[truncated]", "_[k]");
	/* off-CPU the stack is taken in the sched_switch tracepoint: its
	 * leafmost frames are the tracing path and ebtop's own program, not
	 * where the task blocked */
	for (int keep = 0; p->offcpu && n > 0 && !keep;) {
		keep = !ksyms_name(p->ksyms, ips[0], name, sizeof(name)) || !tracing_frame(name);
		if (!keep)
			memmove(ips, ips + 1, --n * sizeof(*ips));
	}
	for (int i = n - 1; i >= 0; i--) {
		if (!ksyms_name(p->ksyms, ips[i], name, sizeof(name)))
			snprintf(name, sizeof(name), "kernel+0x%llx", (unsigned long long)ips[i]);
		names_add(&f, name, "_[k]");
	}
	row->frames = f.buf;
	row->nframes = f.buf ? f.n : 0;
}

static int by_count(const void *a, const void *b)
{
	const struct stack_row *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : (x->pid > y->pid) - (x->pid < y->pid);
}

static int by_pid_frames(const void *a, const void *b)
{
	const struct stack_row *x = a, *y = b;
	size_t lx = stack_frames_len(x), ly = stack_frames_len(y);
	int c;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	c = lx ? memcmp(x->frames, y->frames, lx) : 0;
	return c ? c : (x->nframes > y->nframes) - (x->nframes < y->nframes);
}

/* Rows of one process with the same names, added into one; how many rows
 * are left. */
static size_t merge_same(struct stack_row *rows, size_t n)
{
	size_t out = 0;

	qsort(rows, n, sizeof(*rows), by_pid_frames);
	for (size_t i = 0; i < n; i++) {
		if (out && !by_pid_frames(&rows[out - 1], &rows[i])) {
			rows[out - 1].count += rows[i].count;
			free(rows[i].frames);
			continue;
		}
		rows[out++] = rows[i];
	}
	return out;
}

/* Every (process, stacks) count of the interval, taken out of the map:
 * the keys read, then each entry read and deleted at once, so a sample
 * after the read counts at the next refresh under a fresh entry. */
static long take_counts(int fd, struct stack_key **keys, struct stack_val **vals)
{
	long n = map_read_all(fd, sizeof(**keys), sizeof(**vals), (void **)keys, (void **)vals);

	for (long i = 0; i < n; i++)
		if (bpf_map_lookup_and_delete_elem(fd, &(*keys)[i], &(*vals)[i]) &&
		    (bpf_map_lookup_elem(fd, &(*keys)[i], &(*vals)[i]) ||
		     bpf_map_delete_elem(fd, &(*keys)[i])))
			memset(&(*vals)[i], 0, sizeof((*vals)[i]));
	return n;
}

static int stack_collect(void *state, struct snapshot *s, double interval_s)
{
	struct stack_probe *p = state;
	int cfd, sfd;
	struct stack_snap *ss = &s->stack;
	struct stack_key *keys;
	struct stack_val *vals;
	struct stack_row *rows;
	size_t nr = 0;
	long n;

	(void)interval_s;
	ss->collecting = p->active;
	ss->offcpu = p->offcpu;
	ss->hz = p->hz;
	ss->min_us = p->min_us;
	if (!p->skel)
		return 0;
	cfd = bpf_map__fd(p->skel->maps.counts);
	sfd = bpf_map__fd(p->skel->maps.stacks);
	ss->samples = p->skel->bss->samples - p->samples_seen;
	ss->lost = p->skel->bss->lost - p->lost_seen;
	p->samples_seen += ss->samples;
	p->lost_seen += ss->lost;
	n = take_counts(cfd, &keys, &vals);
	if (n <= 0) {
		free(keys), free(vals);
		return 0;
	}
	rows = calloc(n, sizeof(*rows));
	if (!rows) {
		free(keys), free(vals);
		return -ENOMEM;
	}
	for (long i = 0; i < n; i++) {
		ss->total += vals[i].count;
		if (!vals[i].count)
			continue;
		rows[nr].pid = keys[i].tgid;
		rows[nr].count = vals[i].count;
		memcpy(rows[nr].comm, vals[i].comm, sizeof(rows[nr].comm));
		rows[nr].comm[sizeof(rows[nr].comm) - 1] = '\0';
		/* the key's index, until its frames are named below */
		rows[nr].nframes = (uint32_t)i;
		nr++;
	}
	/* the most sampled are named; stacks whose addresses differ but
	 * whose names do not (two points in one function) become one row */
	qsort(rows, nr, sizeof(*rows), by_count);
	for (size_t i = STACK_NAMED; i < nr; i++)
		ss->others += rows[i].count;
	if (nr > STACK_NAMED)
		nr = STACK_NAMED;
	usyms_begin(p->usyms);
	for (size_t i = 0; i < nr; i++)
		name_frames(p, sfd, &keys[rows[i].nframes], &rows[i]);
	nr = merge_same(rows, nr);
	qsort(rows, nr, sizeof(*rows), by_count);
	for (size_t i = STACK_TOP; i < nr; i++) {
		ss->others += rows[i].count;
		free(rows[i].frames);
	}
	if (nr > STACK_TOP)
		nr = STACK_TOP;
	/* the ids of this interval go: the map holds one interval's stacks.
	 * Off-CPU they stay: a task asleep now holds ids taken when it went
	 * to sleep, which may be one of these (they go with a mode switch) */
	for (long i = 0; i < n && !p->offcpu; i++) {
		if (keys[i].user >= 0)
			bpf_map_delete_elem(sfd, &keys[i].user);
		if (keys[i].kernel >= 0)
			bpf_map_delete_elem(sfd, &keys[i].kernel);
	}
	ss->n = nr;
	ss->rows = rows;
	free(keys);
	free(vals);
	return 0;
}

/* No baseline to drop: every collect takes its interval's counts out of
 * the kernel, and the collect after a filter change starts afresh. */
static void stack_reset(void *state)
{
	(void)state;
}

const struct probe_ops stack_probe_ops = {
	.start = stack_start,
	.collect = stack_collect,
	.reset = stack_reset,
	.stop = stack_stop,
	.set_active = stack_set_active,
	.set_mode = stack_set_mode,
	.on_request = true,
};

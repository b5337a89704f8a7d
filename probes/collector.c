#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "probes/system.h"
#include "probes/users.h"
#include "probes/proctrack.h"
#include "probes/cgroup.h"
#include "probes/collector.h"
#include "probes/filter.h"
#include "probes/probe.h"
#include "probes/vmlinux_btf.h"

/* One probe per pane, from the pane list. */
#define EBTOP_PROBE_ENTRY(ID, name) [PANE_##ID] = &name##_probe_ops,
static const struct probe_ops *const all_probes[NPANES] = { EBTOP_PANES(EBTOP_PROBE_ENTRY) };
#undef EBTOP_PROBE_ENTRY
#define EBTOP_NAME_ENTRY(ID, name) [PANE_##ID] = #name,
static const char *const probe_names[NPANES] = { EBTOP_PANES(EBTOP_NAME_ENTRY) };
#undef EBTOP_NAME_ENTRY
#define NPROBES NPANES

struct collector {
	struct filter *filter;
	char filter_why[NOTE_LEN];
	void *state[NPROBES];
	char why[NPANES][NOTE_LEN];
	struct timespec last;
	bool have_last;
	bool active[NPROBES];
	struct system_reader *system; /* the header's /proc figures */
	struct selfcost *self;        /* ebtop's own cost, read while wanted */
	bool want_self;
	unsigned since_self;          /* refreshes since self was read */
	bool prof;                    /* headless: the on-request probes too */
};

static void *start_one(size_t i, const struct probe_env *env, char *why, size_t len)
{
	if (probe_forced_failure(probe_names[i])) {
		snprintf(why, len, "%s: disabled by EBTOP_FAIL_PROBE", probe_names[i]);
		errno = ECANCELED;
		return NULL;
	}
	return all_probes[i]->start(env, why, len);
}

/* Probes are started by the main thread and by helpers, each taking the
 * next probe not yet taken, in order; the filter's fork following is one
 * more. */
struct starter {
	struct collector *c;
	const struct probe_env *env;
	size_t order[NPROBES];
	atomic_size_t next;
};

static void start_remaining(struct starter *st)
{
	size_t i;

	while ((i = atomic_fetch_add(&st->next, 1)) <= NPROBES) {
		if (i == 0) { /* first: the processes' forks are followed soonest */
			filter_follow(st->c->filter);
		} else {
			size_t k = st->order[i - 1];

			st->c->state[k] = start_one(k, st->env, st->c->why[k], sizeof(st->c->why[0]));
		}
	}
}

/* Pane order, those that start last at the end. */
static void start_order(size_t *order)
{
	size_t n = 0;

	for (int last = 0; last < 2; last++)
		for (size_t i = 0; i < NPROBES; i++)
			if (all_probes[i]->start_last == last)
				order[n++] = i;
}

static void *start_helper(void *st)
{
	start_remaining(st);
	return NULL;
}

/* Loading an object is one CPU's work from start to end (libbpf's
 * relocation against the kernel's BTF, then the verifier): ebtop loads
 * its objects side by side on the CPUs it may run on, one thread each. */
static size_t start_helpers_wanted(void)
{
	cpu_set_t cpus;
	size_t n;

	if (sched_getaffinity(0, sizeof(cpus), &cpus))
		return 0;
	n = CPU_COUNT(&cpus);
	return n < 2 ? 0 : n > NPROBES ? NPROBES : n - 1;
}

static void start_all(struct collector *c, const struct probe_env *env)
{
	struct starter st = { .c = c, .env = env };
	pthread_t helper[NPROBES];
	size_t n = 0, want = start_helpers_wanted();

	for (size_t i = 0; i < NPROBES; i++) /* not for a probe that will not start */
		if (all_probes[i]->prepare && !probe_forced_failure(probe_names[i]))
			all_probes[i]->prepare();
	start_order(st.order);
	atomic_init(&st.next, 0);
	while (n < want && pthread_create(&helper[n], NULL, start_helper, &st) == 0)
		n++;
	start_remaining(&st);
	while (n--)
		pthread_join(helper[n], NULL);
}

struct collector *collector_new(const struct collector_opts *opts)
{
	struct collector *c = calloc(1, sizeof(*c));
	struct probe_env env = { 0 };

	if (!c)
		return NULL;
	/* first: every object reuses its maps */
	if (probe_forced_failure("filter"))
		snprintf(c->filter_why, sizeof(c->filter_why), "filter: disabled by EBTOP_FAIL_PROBE");
	else
		c->filter = filter_open(c->filter_why, sizeof(c->filter_why));
	env.filter = c->filter;
	env.sys_latency = opts->sys_latency;
	env.runq_slow_us = opts->runq_slow_us ? opts->runq_slow_us : 1000;
	env.prof_hz = opts->prof_hz;
	env.offcpu = opts->offcpu;
	env.offcpu_min_us = opts->offcpu_min_us;
	c->prof = opts->prof;
	start_all(c, &env);
	vmlinux_btf_release(); /* every object is loaded */
	c->system = system_reader_new("/proc"); /* NULL: no header, nothing else lost */
	c->self = selfcost_new(); /* NULL: no self cost, likewise */
	return c;
}

void collector_free(struct collector *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < NPROBES; i++)
		if (c->state[i])
			all_probes[i]->stop(c->state[i]);
	filter_close(c->filter);
	system_reader_free(c->system);
	selfcost_free(c->self);
	users_free();
	proctrack_free();
	proctrack_free_owners();
	cgroup_cache_free();
	free(c);
}

int collector_all_failed(const struct collector *c, char *why, size_t len)
{
	for (size_t i = 0; i < NPROBES; i++)
		if (c->state[i])
			return 0;
	snprintf(why, len, "%s", c->why[0]);
	return 1;
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

int collector_collect(struct collector *c, struct snapshot *s)
{
	struct timespec now;
	int err = 0;

	clock_gettime(CLOCK_MONOTONIC, &now);
	clock_gettime(CLOCK_REALTIME, &s->wall);
	s->interval_s = c->have_last ? seconds_between(&c->last, &now) : 0;
	s->baseline = !c->have_last;
	c->last = now;
	c->have_last = true;
	cgroup_cache_tick();
	if (c->system)
		system_read(c->system, &s->system);
	for (int p = 0; p < NPANES; p++)
		snprintf(s->error[p], sizeof(s->error[p]), "%s", c->why[p]);
	for (size_t i = 0; i < NPROBES; i++) {
		const struct probe_ops *ops = all_probes[i];
		int e;

		if (!c->state[i])
			continue;
		e = ops->collect(c->state[i], s, s->interval_s);
		if (e) {
			snprintf(s->error[i], sizeof(s->error[0]), "%s: reading maps: %s",
				 probe_names[i], strerror(-e));
			err = e;
		}
	}
	users_fill(s);
	proctrack_fill(s);
	proctrack_owners(s);
	c->since_self++;
	if (c->want_self && c->self) {
		selfcost_read(c->self, &s->self, c->since_self);
		s->self.lost = s->exec.lost_total + s->tcp.lost_total;
		c->since_self = 0;
	}
	return err;
}

void collector_set_self(struct collector *c, bool on)
{
	c->want_self = on;
}

int collector_self_stats(struct collector *c)
{
	return c->self ? selfcost_enable_stats(c->self) : -ENOMEM;
}

void collector_reset(struct collector *c)
{
	for (size_t i = 0; i < NPROBES; i++)
		if (c->state[i] && all_probes[i]->reset)
			all_probes[i]->reset(c->state[i]);
	c->have_last = false;
}

const char *collector_filter_error(const struct collector *c)
{
	return c->filter ? NULL : c->filter_why;
}

int collector_set_pids(struct collector *c, const uint32_t *pids, size_t n)
{
	int err = filter_set_pids(c->filter, pids, n);

	if (!err) {
		probe_switch_all_cpus();
		collector_reset(c);
	}
	return err;
}

int collector_set_cgroup(struct collector *c, uint64_t id)
{
	int err = filter_set_cgroup(c->filter, id);

	if (!err) {
		probe_switch_all_cpus();
		collector_reset(c);
	}
	return err;
}

size_t collector_fds(const struct collector *c, int *fds, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < NPROBES && n < max; i++) {
		fds[n] = -1;
		if (c->state[i] && all_probes[i]->fd)
			fds[n] = all_probes[i]->fd(c->state[i]);
		n++;
	}
	return n;
}

void collector_drain(struct collector *c, size_t idx)
{
	if (idx < NPROBES && c->state[idx] && all_probes[idx]->drain)
		all_probes[idx]->drain(c->state[idx]);
}

int collector_set_threads(struct collector *c, bool on, char *why, size_t len)
{
	snprintf(why, len, "threads: the cpu probe is not running");
	for (size_t i = 0; i < NPROBES; i++)
		if (c->state[i] && all_probes[i]->set_threads)
			return all_probes[i]->set_threads(c->state[i], on, why, len) ? -1 : 0;
	return -1;
}

int collector_set_mode(struct collector *c, int pane, int mode, char *why, size_t len)
{
	if (pane < 0 || pane >= NPANES || !c->state[pane] || !all_probes[pane]->set_mode) {
		snprintf(why, len, "no probe of that pane runs, or it has no modes");
		return -1;
	}
	return all_probes[pane]->set_mode(c->state[pane], mode, why, len) ? -1 : 0;
}

int collector_set_view(struct collector *c, int pane, bool headless, char *msg, size_t len)
{
	int changed = 0;

	msg[0] = '\0';
	for (size_t i = 0; i < NPROBES; i++) {
		const struct probe_ops *ops = all_probes[i];
		bool on = headless ? !ops->on_request || c->prof : (int)i == pane;
		int err;

		if (!c->state[i] || !ops->set_active || on == c->active[i])
			continue;
		err = ops->set_active(c->state[i], on);
		if (err) {
			snprintf(msg, len, "%s: cannot attach: %s", probe_names[i], strerror(-err));
			continue;
		}
		c->active[i] = on;
		changed = 1;
		snprintf(msg, len, on ? "%s: collecting" : "%s: collection paused (pane hidden)",
			 probe_names[i]);
	}
	return changed;
}

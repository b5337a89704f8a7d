#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/histogram.h"
#include "views/metrics.h"
#include "views/text.h"
#include "views/view.h"

/* Activity scores decay with this time constant: the top N follows what
 * is busy now without flapping on one quiet interval. */
#define SCORE_TAU_S 60.0
/* A process quiet this long is forgotten, whatever its score: the bound
 * for processes whose exit was never seen (they never ran since start). */
#define QUIET_DROP_S 900.0
/* Run-queue buckets exposed: powers of two of microseconds, 1 us to ~1 s.
 * They are boundaries of the log-linear buckets, so folding is exact. */
#define LE_MIN_LOG2 0
#define LE_MAX_LOG2 20
#define NLE (LE_MAX_LOG2 - LE_MIN_LOG2 + 1)
#define TCP_NSTATES 16

struct proc_series {
	uint32_t pid;
	char comm[16];
	char *cgroup;              /* sanitized path, owned; NULL until the cpu probe says */
	uint64_t cpu_ns, tx, rx;   /* since first seen */
	double cpu_score, tcp_score;
	double quiet_s;            /* since its last activity */
	bool gone;
};

struct sys_series {
	char name[32];
	uint64_t count, errors;
	bool seen;
};

struct metrics {
	size_t top;
	struct proc_series *procs; /* sorted by pid up to nsorted; new ones after */
	size_t nprocs, nsorted, cap;
	uint64_t idle_ns;
	uint64_t le[NLE];          /* cumulative per le, +Inf is runq_count */
	uint64_t runq_count, runq_sum_ns;
	struct sys_series *sys;    /* indexed by syscall number */
	size_t nsys;
	uint32_t tcp_states[TCP_NSTATES];
	uint64_t tcp_closed, tcp_lost;
	uint64_t execs, exec_lost;
	bool up[NPANES];
	bool tcp_seen;             /* the gauge is from a real dump */
};

struct metrics *metrics_new(size_t top)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (m)
		m->top = top;
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nprocs; i++)
		free(m->procs[i].cgroup);
	free(m->procs);
	free(m->sys);
	free(m);
}

static int cmp_pid(const void *a, const void *b)
{
	uint32_t x = ((const struct proc_series *)a)->pid, y = ((const struct proc_series *)b)->pid;

	return (x > y) - (x < y);
}

static struct proc_series *proc_find(const struct metrics *m, uint32_t pid)
{
	struct proc_series key = { .pid = pid };

	return m->nsorted ? bsearch(&key, m->procs, m->nsorted, sizeof(key), cmp_pid) : NULL;
}

/* The series of pid, created with comm when new; NULL on ENOMEM. */
static struct proc_series *proc_get(struct metrics *m, uint32_t pid, const char *comm)
{
	struct proc_series *p = proc_find(m, pid);

	if (p)
		return p;
	for (size_t i = m->nsorted; i < m->nprocs; i++)
		if (m->procs[i].pid == pid)
			return &m->procs[i];
	if (m->nprocs == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		struct proc_series *grown = realloc(m->procs, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		m->procs = grown;
		m->cap = cap;
	}
	p = &m->procs[m->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	memcpy(p->comm, comm, sizeof(p->comm) - 1);
	return p;
}

/* Drop the exited and the long quiet, and sort the new in. */
static void procs_settle(struct metrics *m)
{
	size_t kept = 0;

	for (size_t i = 0; i < m->nprocs; i++) {
		struct proc_series *p = &m->procs[i];

		if (p->gone || p->quiet_s >= QUIET_DROP_S) {
			free(p->cgroup);
			continue;
		}
		m->procs[kept++] = *p;
	}
	m->nprocs = kept;
	if (m->nprocs)
		qsort(m->procs, m->nprocs, sizeof(*m->procs), cmp_pid);
	m->nsorted = m->nprocs;
}

static void add_cpu(struct metrics *m, const struct cpu_snap *cs)
{
	m->idle_ns += cs->idle_ns;
	for (size_t i = 0; i < cs->n; i++) {
		const struct cpu_row *r = &cs->rows[i];
		struct proc_series *p = proc_get(m, r->pid, r->comm);

		if (!p)
			continue;
		/* the comm after an exec; the cgroup after a move */
		memcpy(p->comm, r->comm, sizeof(p->comm) - 1);
		if (!p->cgroup || strcmp(p->cgroup, r->cgroup)) {
			free(p->cgroup);
			p->cgroup = text_sanitize(r->cgroup, strlen(r->cgroup));
		}
		p->cpu_ns += r->oncpu_ns;
		p->cpu_score += r->oncpu_ns / 1e9;
		p->quiet_s = 0;
	}
	procs_settle(m);
}

static void add_tcp_row(struct metrics *m, const struct tcp_row *r)
{
	struct proc_series *p;

	if (!r->pid || !(r->tx_new | r->rx_new) || !(p = proc_get(m, r->pid, r->comm)))
		return;
	p->tx += r->tx_new;
	p->rx += r->rx_new;
	p->tcp_score += r->tx_new + r->rx_new;
	p->quiet_s = 0;
}

static void add_tcp(struct metrics *m, const struct tcp_snap *ts)
{
	memset(m->tcp_states, 0, sizeof(m->tcp_states));
	for (size_t i = 0; i < ts->n; i++) {
		if (ts->rows[i].state < TCP_NSTATES)
			m->tcp_states[ts->rows[i].state]++;
		add_tcp_row(m, &ts->rows[i]);
	}
	for (size_t i = 0; i < ts->nfresh; i++)
		add_tcp_row(m, &ts->fresh[i]);
	m->tcp_closed = ts->closed_total;
	m->tcp_lost = ts->lost_total;
	m->tcp_seen = true;
	procs_settle(m);
}

static void add_runq(struct metrics *m, const struct runq_snap *rs)
{
	for (unsigned b = 0; b < HIST_BUCKETS; b++) {
		double high = bucket_high(b);

		if (!rs->hist[b])
			continue;
		for (int k = 0; k < NLE; k++)
			if (high <= (double)(1u << (k + LE_MIN_LOG2)))
				m->le[k] += rs->hist[b];
	}
	m->runq_count += rs->count;
	m->runq_sum_ns += rs->sum_ns;
}

static int add_sys(struct metrics *m, const struct sys_snap *ss)
{
	for (size_t i = 0; i < ss->n; i++) {
		const struct sys_row *r = &ss->rows[i];

		if (r->nr >= m->nsys) {
			size_t n = r->nr + 64;
			struct sys_series *grown = realloc(m->sys, n * sizeof(*grown));

			if (!grown)
				return -ENOMEM;
			memset(grown + m->nsys, 0, (n - m->nsys) * sizeof(*grown));
			m->sys = grown;
			m->nsys = n;
		}
		struct sys_series *s = &m->sys[r->nr];

		snprintf(s->name, sizeof(s->name), "%s", r->name);
		s->count += r->count;
		s->errors += r->errors;
		s->seen = true;
	}
	return 0;
}

int metrics_add(struct metrics *m, const struct snapshot *s)
{
	double decay = exp(-s->interval_s / SCORE_TAU_S);

	for (int p = 0; p < NPANES; p++)
		m->up[p] = !s->error[p][0];
	if (s->baseline)
		return 0;
	for (size_t i = 0; i < m->nprocs; i++) {
		m->procs[i].cpu_score *= decay;
		m->procs[i].tcp_score *= decay;
		m->procs[i].quiet_s += s->interval_s;
	}
	if (m->up[PANE_CPU])
		add_cpu(m, &s->cpu);
	if (m->up[PANE_TCP])
		add_tcp(m, &s->tcp);
	if (m->up[PANE_RUNQ])
		add_runq(m, &s->runq);
	if (m->up[PANE_EXEC]) {
		m->execs += s->exec.events;
		m->exec_lost = s->exec.lost_total;
	}
	/* an exit is reported with the process's last interval: count, then forget */
	for (size_t i = 0; i < s->cpu.ngone; i++) {
		struct proc_series *p = proc_find(m, s->cpu.gone[i]);

		if (p)
			p->gone = true;
	}
	procs_settle(m);
	return m->up[PANE_SYS] ? add_sys(m, &s->sys) : 0;
}

/* ---- rendering ---- */

enum kind { COUNTER, GAUGE, HISTOGRAM, INFO };

struct out {
	FILE *f;
	enum metrics_format fmt;
};

/* A family's name, as its samples are named: counters end in _total and
 * info in _info; OpenMetrics names the family without that suffix. */
static void family(struct out *o, const char *base, enum kind k, const char *unit,
		   const char *help)
{
	static const char *const suffix[] = { [COUNTER] = "_total", [INFO] = "_info" };
	static const char *const prom_type[] = { "counter", "gauge", "histogram", "gauge" };
	static const char *const om_type[] = { "counter", "gauge", "histogram", "info" };
	const char *sfx = suffix[k] ? suffix[k] : "";

	if (o->fmt == METRICS_OPENMETRICS) {
		fprintf(o->f, "# TYPE %s %s\n", base, om_type[k]);
		if (unit)
			fprintf(o->f, "# UNIT %s %s\n", base, unit);
		fprintf(o->f, "# HELP %s %s\n", base, help);
	} else {
		fprintf(o->f, "# HELP %s%s %s\n", base, sfx, help);
		fprintf(o->f, "# TYPE %s%s %s\n", base, sfx, prom_type[k]);
	}
}

/* A label value: sanitized UTF-8 (controls as \xNN), then quoted with the
 * format's two escapes. */
static void label(FILE *f, const char *name, const char *raw, size_t len, bool first)
{
	char *v = text_sanitize(raw, len);

	fprintf(f, "%s%s=\"", first ? "" : ",", name);
	for (const char *c = v ? v : ""; *c; c++) {
		if (*c == '\\' || *c == '"')
			fputc('\\', f);
		fputc(*c, f);
	}
	fputc('"', f);
	free(v);
}

static void seconds(FILE *f, uint64_t ns)
{
	fprintf(f, "%" PRIu64 ".%09" PRIu64 "\n", ns / 1000000000, ns % 1000000000);
}

static void pid_labels(FILE *f, const struct proc_series *p)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%u", p->pid);
	label(f, "pid", pid, strlen(pid), true);
	label(f, "comm", p->comm, strnlen(p->comm, sizeof(p->comm)), false);
}

struct ranked {
	double score;
	const struct proc_series *p;
};

static int by_score(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->score, y = ((const struct ranked *)b)->score;

	return (x < y) - (x > y);
}

/* The top m->top processes with something to show, busiest first. */
static size_t rank(const struct metrics *m, bool tcp, struct ranked *out)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nprocs; i++) {
		const struct proc_series *p = &m->procs[i];

		if (tcp ? (p->tx | p->rx) : p->cpu_ns)
			out[n++] = (struct ranked){ tcp ? p->tcp_score : p->cpu_score, p };
	}
	qsort(out, n, sizeof(*out), by_score);
	return n < m->top ? n : m->top;
}

static void proc_bytes(struct out *o, const struct ranked *r, size_t n, const char *base,
		       const char *help, bool sent)
{
	family(o, base, COUNTER, "bytes", help);
	for (size_t i = 0; i < n; i++) {
		fprintf(o->f, "%s_total{", base);
		pid_labels(o->f, r[i].p);
		fprintf(o->f, "} %" PRIu64 "\n", sent ? r[i].p->tx : r[i].p->rx);
	}
}

static void render_procs(struct out *o, const struct metrics *m, struct ranked *r)
{
	size_t n = rank(m, false, r);

	family(o, "ebtop_cpu_seconds", COUNTER, "seconds",
	       "On-CPU time per process since ebtop started (top processes by recent CPU).");
	for (size_t i = 0; i < n; i++) {
		const struct proc_series *p = r[i].p;

		fputs("ebtop_cpu_seconds_total{", o->f);
		pid_labels(o->f, p);
		if (p->cgroup)
			label(o->f, "cgroup", p->cgroup, strlen(p->cgroup), false);
		fputs("} ", o->f);
		seconds(o->f, p->cpu_ns);
	}
	n = rank(m, true, r);
	proc_bytes(o, r, n, "ebtop_tcp_sent_bytes",
		   "TCP payload bytes sent and acknowledged, per process (top processes by recent traffic).",
		   true);
	proc_bytes(o, r, n, "ebtop_tcp_received_bytes",
		   "TCP payload bytes received, per process (top processes by recent traffic).", false);
}

static void render_runq(struct out *o, const struct metrics *m)
{
	family(o, "ebtop_runq_latency_seconds", HISTOGRAM, "seconds",
	       "Time runnable tasks waited for a CPU (wakeup or preemption to running).");
	for (int k = 0; k < NLE; k++)
		fprintf(o->f, "ebtop_runq_latency_seconds_bucket{le=\"%.6f\"} %" PRIu64 "\n",
			(1u << (k + LE_MIN_LOG2)) / 1e6, m->le[k]);
	fprintf(o->f, "ebtop_runq_latency_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n",
		m->runq_count);
	fputs("ebtop_runq_latency_seconds_sum ", o->f);
	seconds(o->f, m->runq_sum_ns);
	fprintf(o->f, "ebtop_runq_latency_seconds_count %" PRIu64 "\n", m->runq_count);
}

static void sys_counts(struct out *o, const struct metrics *m, const char *base,
		       const char *help, bool errors)
{
	family(o, base, COUNTER, NULL, help);
	for (size_t i = 0; i < m->nsys; i++)
		if (m->sys[i].seen) {
			fprintf(o->f, "%s_total{", base);
			label(o->f, "syscall", m->sys[i].name, strlen(m->sys[i].name), true);
			fprintf(o->f, "} %" PRIu64 "\n", errors ? m->sys[i].errors : m->sys[i].count);
		}
}

static void render_sys(struct out *o, const struct metrics *m)
{
	sys_counts(o, m, "ebtop_syscalls", "System calls made, per system call.", false);
	sys_counts(o, m, "ebtop_syscall_errors",
		   "System calls that returned an error, per system call.", true);
}

static void render_tcp(struct out *o, const struct metrics *m)
{
	family(o, "ebtop_tcp_connections", GAUGE, NULL,
	       "TCP sockets now, per state (listening sockets included).");
	for (unsigned st = 0; st < TCP_NSTATES && m->tcp_seen; st++) {
		const char *name = tcp_state_name(st);

		if (strcmp(name, "?"))
			fprintf(o->f, "ebtop_tcp_connections{state=\"%s\"} %u\n", name,
				m->tcp_states[st]);
	}
	family(o, "ebtop_tcp_closed", COUNTER, NULL, "TCP connections closed.");
	fprintf(o->f, "ebtop_tcp_closed_total %" PRIu64 "\n", m->tcp_closed);
}

static void render_status(struct out *o, const struct metrics *m)
{
	family(o, "ebtop_build", INFO, NULL, "The ebtop serving these metrics.");
	fputs("ebtop_build_info{version=\"" EBTOP_VERSION "\"} 1\n", o->f);
	family(o, "ebtop_probe_up", GAUGE, NULL,
	       "1 when the probe behind a family collects, 0 when it could not start "
	       "(ebtop's log says why).");
	for (int p = 0; p < NPANES; p++)
		fprintf(o->f, "ebtop_probe_up{probe=\"%s\"} %d\n", pane_name(p), m->up[p]);
	family(o, "ebtop_lost_events", COUNTER, NULL,
	       "Events the kernel dropped because ebtop's ring buffer was full.");
	fprintf(o->f, "ebtop_lost_events_total{probe=\"exec\"} %" PRIu64 "\n", m->exec_lost);
	fprintf(o->f, "ebtop_lost_events_total{probe=\"tcp\"} %" PRIu64 "\n", m->tcp_lost);
}

char *metrics_render(const struct metrics *m, enum metrics_format fmt, size_t *len)
{
	struct ranked *r = malloc((m->nprocs ? m->nprocs : 1) * sizeof(*r));
	struct out o = { .fmt = fmt };
	char *text = NULL;

	*len = 0;
	if (!r || !(o.f = open_memstream(&text, len))) {
		free(r);
		return NULL;
	}
	render_status(&o, m);
	render_procs(&o, m, r);
	family(&o, "ebtop_cpu_idle_seconds", COUNTER, "seconds", "Idle time of all CPUs added up.");
	fputs("ebtop_cpu_idle_seconds_total ", o.f);
	seconds(o.f, m->idle_ns);
	render_runq(&o, m);
	render_sys(&o, m);
	render_tcp(&o, m);
	family(&o, "ebtop_execs", COUNTER, NULL, "Programs executed (successful execve and execveat).");
	fprintf(o.f, "ebtop_execs_total %" PRIu64 "\n", m->execs);
	if (fmt == METRICS_OPENMETRICS)
		fputs("# EOF\n", o.f);
	free(r);
	if (fclose(o.f)) {
		free(text);
		return NULL;
	}
	return text;
}

const char *metrics_content_type(enum metrics_format f)
{
	return f == METRICS_OPENMETRICS ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
					: "text/plain; version=0.0.4; charset=utf-8";
}

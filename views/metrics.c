#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/histogram.h"
#include "views/groups.h"
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
#define TCP_ESTABLISHED 1

struct proc_series {
	uint32_t pid;
	char comm[16];
	char *cgroup;              /* sanitized path, owned; NULL until the cpu probe says */
	uint64_t cpu_ns, tx, rx;   /* since first seen */
	uint64_t retrans;          /* TCP retransmissions since first seen */
	uint64_t caused_ns;        /* run-queue delay it caused others */
	double cpu_score, tcp_score;
	double quiet_s;            /* since its last activity */
	bool gone;
};

/* A cgroup (a unit: service, scope, container...) with its processes'
 * on-CPU time and run-queue waits added up, as the g view does. */
struct cg_series {
	char path[512], name[128];
	enum cg_kind kind;
	uint64_t cpu_ns, waits;
	uint64_t le[NLE];
	double score, quiet_s;
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
	struct cg_series *cgs;     /* sorted by path up to ncgs_sorted */
	size_t ncgs, ncgs_sorted, cgs_cap;
	struct sys_series *sys;    /* indexed by syscall number */
	size_t nsys;
	uint32_t tcp_states[TCP_NSTATES];
	uint64_t tcp_closed, tcp_lost, tcp_failed;
	uint64_t rtt_le[NLE];      /* srtt of each established connection at each refresh */
	uint64_t rtt_count, rtt_sum_us;
	uint64_t execs, exec_lost;
	bool up[NPANES];
	bool tcp_seen;             /* the gauge is from a real dump */
	struct self_snap self;     /* the latest, with --self */
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
	free(m->cgs);
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

	if (!r->pid || !(r->tx_new | r->rx_new | r->retrans_new) || !(p = proc_get(m, r->pid, r->comm)))
		return;
	p->tx += r->tx_new;
	p->rx += r->rx_new;
	p->retrans += r->retrans_new;
	p->tcp_score += r->tx_new + r->rx_new;
	p->quiet_s = 0;
}

static void add_tcp(struct metrics *m, const struct tcp_snap *ts)
{
	memset(m->tcp_states, 0, sizeof(m->tcp_states));
	for (size_t i = 0; i < ts->n; i++) {
		const struct tcp_row *r = &ts->rows[i];

		if (r->state < TCP_NSTATES)
			m->tcp_states[r->state]++;
		add_tcp_row(m, r);
		if (r->state != TCP_ESTABLISHED || !r->srtt_us)
			continue;
		for (int k = 0; k < NLE; k++)
			m->rtt_le[k] += r->srtt_us <= (1u << (k + LE_MIN_LOG2));
		m->rtt_count++;
		m->rtt_sum_us += r->srtt_us;
	}
	for (size_t i = 0; i < ts->nfresh; i++) {
		add_tcp_row(m, &ts->fresh[i]);
		m->tcp_failed += ts->fresh[i].failed;
	}
	m->tcp_closed = ts->closed_total;
	m->tcp_lost = ts->lost_total;
	m->tcp_seen = true;
	procs_settle(m);
}

/* Log-linear buckets into the cumulative power-of-two ones. */
static void fold(const uint64_t *hist, uint64_t *le)
{
	for (unsigned b = 0; b < HIST_BUCKETS; b++) {
		double high = bucket_high(b);

		if (!hist[b])
			continue;
		for (int k = 0; k < NLE; k++)
			if (high <= (double)(1u << (k + LE_MIN_LOG2)))
				le[k] += hist[b];
	}
}

static void add_runq(struct metrics *m, const struct runq_snap *rs)
{
	fold(rs->hist, m->le);
	m->runq_count += rs->count;
	m->runq_sum_ns += rs->sum_ns;
}

static int cmp_cg(const void *a, const void *b)
{
	return strcmp(((const struct cg_series *)a)->path, ((const struct cg_series *)b)->path);
}

static struct cg_series *cg_get(struct metrics *m, const struct group *g)
{
	struct cg_series *c = m->ncgs_sorted ? bsearch(g->path, m->cgs, m->ncgs_sorted, sizeof(*c), cmp_cg)
					     : NULL;

	if (c)
		return c;
	for (size_t i = m->ncgs_sorted; i < m->ncgs; i++)
		if (!strcmp(m->cgs[i].path, g->path))
			return &m->cgs[i];
	if (m->ncgs == m->cgs_cap) {
		size_t cap = m->cgs_cap ? m->cgs_cap * 2 : 64;
		struct cg_series *grown = realloc(m->cgs, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		m->cgs = grown;
		m->cgs_cap = cap;
	}
	c = &m->cgs[m->ncgs++];
	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", g->path);
	snprintf(c->name, sizeof(c->name), "%s", g->name);
	c->kind = g->kind;
	return c;
}

/* The interval's groups of one pane into the cgroup series; the group of
 * processes whose cgroup is not known has no series. */
static int add_groups(struct metrics *m, const struct snapshot *s, enum pane_id pane)
{
	struct groups g;
	int err = groups_build(s, pane, GROUP_UNIT, &g);

	if (err)
		return err;
	for (size_t i = 0; i < g.n; i++) {
		struct cg_series *c;

		if (!strcmp(g.g[i].path, "?") || !(c = cg_get(m, &g.g[i])))
			continue;
		if (pane == PANE_CPU) {
			c->cpu_ns += g.g[i].oncpu_ns;
			c->score += g.g[i].oncpu_ns / 1e9;
			c->quiet_s = g.g[i].oncpu_ns ? 0 : c->quiet_s;
		} else {
			fold(g.g[i].hist, c->le);
			c->waits += g.g[i].waits;
			c->quiet_s = g.g[i].waits ? 0 : c->quiet_s;
		}
	}
	groups_free(&g);
	return 0;
}

/* Drop the long quiet (a cgroup removed is one), and sort the new in. */
static void cgs_settle(struct metrics *m)
{
	size_t kept = 0;

	for (size_t i = 0; i < m->ncgs; i++)
		if (m->cgs[i].quiet_s < QUIET_DROP_S)
			m->cgs[kept++] = m->cgs[i];
	m->ncgs = kept;
	if (m->ncgs)
		qsort(m->cgs, m->ncgs, sizeof(*m->cgs), cmp_cg);
	m->ncgs_sorted = m->ncgs;
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
	if (s->self.have)
		m->self = s->self;
	if (s->baseline)
		return 0;
	for (size_t i = 0; i < m->nprocs; i++) {
		m->procs[i].cpu_score *= decay;
		m->procs[i].tcp_score *= decay;
		m->procs[i].quiet_s += s->interval_s;
	}
	for (size_t i = 0; i < m->ncgs; i++) {
		m->cgs[i].score *= decay;
		m->cgs[i].quiet_s += s->interval_s;
	}
	if (m->up[PANE_CPU])
		add_cpu(m, &s->cpu);
	if ((m->up[PANE_CPU] && add_groups(m, s, PANE_CPU)) ||
	    (m->up[PANE_RUNQ] && add_groups(m, s, PANE_RUNQ)))
		return -ENOMEM;
	cgs_settle(m);
	if (m->up[PANE_TCP])
		add_tcp(m, &s->tcp);
	if (m->up[PANE_RUNQ]) {
		add_runq(m, &s->runq);
		for (size_t i = 0; i < s->runq.nculprits; i++) {
			const struct runq_culprit_row *c = &s->runq.culprits[i];
			struct proc_series *p = proc_get(m, c->pid, c->comm);

			if (p) {
				p->caused_ns += c->caused_ns;
				p->quiet_s = 0;
			}
		}
		procs_settle(m);
	}
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

/* A per-process TCP counter: the field at offset off of each series. */
static void proc_tcp(struct out *o, const struct ranked *r, size_t n, const char *base,
		     const char *unit, const char *help, size_t off)
{
	family(o, base, COUNTER, unit, help);
	for (size_t i = 0; i < n; i++) {
		fprintf(o->f, "%s_total{", base);
		pid_labels(o->f, r[i].p);
		fprintf(o->f, "} %" PRIu64 "\n", *(const uint64_t *)((const char *)r[i].p + off));
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
	/* a culprit held a CPU to delay others: the CPU ranking holds it */
	family(o, "ebtop_runq_delay_caused_seconds", COUNTER, "seconds",
	       "Run-queue waits of others while this process held their CPU (top processes by recent CPU).");
	for (size_t i = 0; i < n; i++) {
		if (!r[i].p->caused_ns)
			continue;
		fputs("ebtop_runq_delay_caused_seconds_total{", o->f);
		pid_labels(o->f, r[i].p);
		fputs("} ", o->f);
		seconds(o->f, r[i].p->caused_ns);
	}
	n = rank(m, true, r);
	proc_tcp(o, r, n, "ebtop_tcp_sent_bytes", "bytes",
		 "TCP payload bytes sent and acknowledged, per process (top processes by recent traffic).",
		 offsetof(struct proc_series, tx));
	proc_tcp(o, r, n, "ebtop_tcp_received_bytes", "bytes",
		 "TCP payload bytes received, per process (top processes by recent traffic).",
		 offsetof(struct proc_series, rx));
	proc_tcp(o, r, n, "ebtop_tcp_retransmits", NULL,
		 "TCP segments retransmitted, per process (top processes by recent traffic).",
		 offsetof(struct proc_series, retrans));
}

/* One histogram's samples, of seconds over the power-of-two microsecond
 * boundaries; labels: "" or 'k="v",' to put before le. No _sum when the
 * sum is not known (sum_ns NULL). */
static void histogram_samples(struct out *o, const char *base, const char *labels,
			      const uint64_t *le, uint64_t count, const uint64_t *sum_ns)
{
	const char *open = *labels ? "{" : "";
	size_t ll = strlen(labels);

	for (int k = 0; k < NLE; k++)
		fprintf(o->f, "%s_bucket{%sle=\"%.6f\"} %" PRIu64 "\n", base, labels,
			(1u << (k + LE_MIN_LOG2)) / 1e6, le[k]);
	fprintf(o->f, "%s_bucket{%sle=\"+Inf\"} %" PRIu64 "\n", base, labels, count);
	/* the labels without their trailing comma, in braces */
	if (sum_ns) {
		fprintf(o->f, "%s_sum%s%.*s%s ", base, open, (int)(ll ? ll - 1 : 0), labels, ll ? "}" : "");
		seconds(o->f, *sum_ns);
	}
	fprintf(o->f, "%s_count%s%.*s%s %" PRIu64 "\n", base, open, (int)(ll ? ll - 1 : 0), labels,
		ll ? "}" : "", count);
}

static void histogram(struct out *o, const char *base, const char *help, const uint64_t *le,
		      uint64_t count, uint64_t sum_ns)
{
	family(o, base, HISTOGRAM, "seconds", help);
	histogram_samples(o, base, "", le, count, &sum_ns);
}

static void render_runq(struct out *o, const struct metrics *m)
{
	histogram(o, "ebtop_runq_latency_seconds",
		  "Time runnable tasks waited for a CPU (wakeup or preemption to running).", m->le,
		  m->runq_count, m->runq_sum_ns);
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
	family(o, "ebtop_tcp_connect_failures", COUNTER, NULL,
	       "Active TCP opens that never got established (refused, timed out, given up).");
	fprintf(o->f, "ebtop_tcp_connect_failures_total %" PRIu64 "\n", m->tcp_failed);
	histogram(o, "ebtop_tcp_rtt_seconds",
		  "Smoothed round-trip time of each established TCP connection, sampled each refresh.",
		  m->rtt_le, m->rtt_count, m->rtt_sum_us * 1000);
}

/* A cgroup's labels, each followed by a comma. */
static char *cg_labels(const struct cg_series *c)
{
	const char *kind = cg_kind_name(c->kind);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	label(f, "cgroup", c->path, strlen(c->path), true);
	label(f, "name", c->name, strlen(c->name), false);
	label(f, "kind", kind, strlen(kind), false);
	fputc(',', f);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

struct cg_ranked {
	double score;
	const struct cg_series *c;
};

static int by_cg_score(const void *a, const void *b)
{
	double x = ((const struct cg_ranked *)a)->score, y = ((const struct cg_ranked *)b)->score;

	return (x < y) - (x > y);
}

/* The top N cgroups by recent CPU, as for processes: the same bound on
 * how many series there are. */
static void render_cgroups(struct out *o, const struct metrics *m)
{
	struct cg_ranked *r = malloc((m->ncgs ? m->ncgs : 1) * sizeof(*r));
	char **labels = calloc(m->ncgs ? m->ncgs : 1, sizeof(*labels));
	size_t n = 0;

	if (!r || !labels) {
		free(r);
		free(labels);
		return;
	}
	for (size_t i = 0; i < m->ncgs; i++)
		r[n++] = (struct cg_ranked){ m->cgs[i].score, &m->cgs[i] };
	qsort(r, n, sizeof(*r), by_cg_score);
	n = n < m->top ? n : m->top;
	for (size_t i = 0; i < n; i++)
		labels[i] = cg_labels(r[i].c);
	family(o, "ebtop_cgroup_cpu_seconds", COUNTER, "seconds",
	       "On-CPU time per cgroup (service, scope, container) since ebtop started: the sum of its "
	       "processes (top cgroups by recent CPU).");
	for (size_t i = 0; i < n; i++) {
		size_t ll = labels[i] ? strlen(labels[i]) : 0;

		if (!ll)
			continue;
		fprintf(o->f, "ebtop_cgroup_cpu_seconds_total{%.*s} ", (int)ll - 1, labels[i]);
		seconds(o->f, r[i].c->cpu_ns);
	}
	/* no _sum: the waits of a cgroup are known by bucket only */
	family(o, "ebtop_cgroup_runq_latency_seconds", HISTOGRAM, "seconds",
	       "Time the processes of a cgroup waited for a CPU (the same cgroups).");
	for (size_t i = 0; i < n; i++)
		if (labels[i])
			histogram_samples(o, "ebtop_cgroup_runq_latency_seconds", labels[i], r[i].c->le,
					  r[i].c->waits, NULL);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(r);
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

/* ebtop's own cost, with --self: its CPU and memory, and its BPF
 * programs' run time per probe while the kernel's BPF stats are on. */
static void render_self(struct out *o, const struct self_snap *s)
{
	if (!s->have)
		return;
	family(o, "ebtop_self_cpu_seconds", COUNTER, "seconds", "CPU time of ebtop's own process.");
	fprintf(o->f, "ebtop_self_cpu_seconds_total %.6f\n", s->cpu_s);
	family(o, "ebtop_self_rss_bytes", GAUGE, "bytes", "Resident memory of ebtop's own process.");
	fprintf(o->f, "ebtop_self_rss_bytes %" PRIu64 "\n", s->rss_bytes);
	family(o, "ebtop_self_map_bytes", GAUGE, "bytes", "Memory of the BPF maps ebtop holds.");
	fprintf(o->f, "ebtop_self_map_bytes %" PRIu64 "\n", s->map_bytes);
	if (!s->bpf_stats)
		return;
	family(o, "ebtop_self_bpf_seconds", COUNTER, "seconds",
	       "Run time of each probe's BPF programs, from the kernel's BPF stats.");
	for (size_t i = 0; i < s->nprobes; i++) {
		fprintf(o->f, "ebtop_self_bpf_seconds_total{probe=\"%s\"} ", s->probe[i].name);
		seconds(o->f, s->probe[i].run_ns);
	}
	family(o, "ebtop_self_bpf_runs", COUNTER, NULL, "Runs of each probe's BPF programs.");
	for (size_t i = 0; i < s->nprobes; i++)
		fprintf(o->f, "ebtop_self_bpf_runs_total{probe=\"%s\"} %" PRIu64 "\n",
			s->probe[i].name, s->probe[i].runs);
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
	render_cgroups(&o, m);
	render_sys(&o, m);
	render_tcp(&o, m);
	family(&o, "ebtop_execs", COUNTER, NULL, "Programs executed (successful execve and execveat).");
	fprintf(o.f, "ebtop_execs_total %" PRIu64 "\n", m->execs);
	render_self(&o, &m->self);
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

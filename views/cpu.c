/* Pane 1: on-CPU time per process over the last interval. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "views/groups.h"
#include "views/threads.h"
#include "views/view.h"

enum { COL_PID, COL_USER, COL_THR, COL_CPU, COL_ONCPU, COL_TREND, COL_COMM, COL_CGROUP, NCOL };

/* the columns both layouts share */
#define PROCESS_COLS                                                    \
	[COL_PID] = { "PID", 7, ALIGN_RIGHT, true, 0 },                 \
	[COL_USER] = { "USER", USER_COLS, ALIGN_LEFT, false, 2 },       \
	[COL_THR] = { "THR", 4, ALIGN_RIGHT, true, 1 },                 \
	[COL_CPU] = { "CPU%", 6, ALIGN_RIGHT, true, 0 },                \
	[COL_ONCPU] = { "ONCPU", 8, ALIGN_RIGHT, true, 4 },             \
	[COL_TREND] = { "TREND", CPU_TREND, ALIGN_LEFT, false, 5 }

static const struct column cols[NCOL] = {
	PROCESS_COLS,
	[COL_COMM] = { "COMMAND", 15, ALIGN_LEFT, false, 0 },
	[COL_CGROUP] = { "CGROUP", 6, ALIGN_LEFT, false, 3 },
};

/* a: the full command line takes the rest of the line, where CGROUP was */
static const struct column cols_cmdline[COL_CGROUP] = {
	PROCESS_COLS,
	[COL_COMM] = { "COMMAND LINE", 15, ALIGN_LEFT, false, 0 },
};

/* The row's last refreshes as a sparkline, oldest at the left, on a scale
 * of one CPU (or of its busiest refresh, past one CPU); blanks for the
 * refreshes before it was seen. */
static void trend(char *buf, size_t len, const struct cpu_row *r, bool blocks)
{
	static const char *const spark[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char ascii[] = "_.:-=+*#";
	float top = 100;
	size_t n = 0;
	int known = r->ntrend < CPU_TREND ? r->ntrend : CPU_TREND;

	for (int i = CPU_TREND - known; i < CPU_TREND; i++)
		top = r->trend[i] > top ? r->trend[i] : top;
	buf[0] = '\0';
	for (int i = 0; i < CPU_TREND && n + 4 < len; i++) {
		float v = r->trend[i] > 0 ? r->trend[i] : 0;
		int level = (int)lroundf(v / top * 7);

		if (i < CPU_TREND - known)
			n += snprintf(buf + n, len - n, " ");
		else if (blocks)
			n += snprintf(buf + n, len - n, "%s", spark[level]);
		else
			n += snprintf(buf + n, len - n, "%c", ascii[level]);
	}
}

static void add_row(struct pane_model *m, const struct cpu_row *r, const struct view_opts *o,
		    const char *indent)
{
	char buf[32];

	table_row(&m->table, r->pid);
	table_cell(&m->table, r->pid, "%u", r->pid);
	fmt_user(buf, sizeof(buf), r->user);
	table_cell(&m->table, 0, "%s", buf);
	table_cell(&m->table, r->threads, "%u", r->threads);
	table_cell(&m->table, r->pct, "%.1f", r->pct);
	fmt_duration_ns(buf, sizeof(buf), r->oncpu_ns);
	table_cell(&m->table, r->oncpu_ns, "%s", buf);
	trend(buf, sizeof(buf), r, o->blocks);
	table_cell(&m->table, 0, "%s", buf);
	if (o->cmdline) {
		table_cell(&m->table, 0, "%s%s", indent, r->cmdline ? r->cmdline : r->comm);
		return;
	}
	table_cell(&m->table, 0, "%s%s", indent, r->comm);
	table_cell(&m->table, 0, "%s", r->cgroup ? r->cgroup : "");
}

/* indentation past this many levels is not deepened */
#define TREE_DEPTH 16

struct tree_build {
	const struct cpu_row *rows;
	size_t n;
	size_t *by_pid;          /* row indexes by pid */
	size_t *kids, *first;    /* children of row i: kids[first[i] .. first[i + 1]) */
	bool *done;
	bool last[TREE_DEPTH + 1];
};

static int cmp_pid(const void *a, const void *b, void *ctx)
{
	const struct cpu_row *rows = ctx;
	uint32_t x = rows[*(const size_t *)a].pid, y = rows[*(const size_t *)b].pid;

	return (x > y) - (x < y);
}

/* the row of pid, or n */
static size_t row_of(const struct tree_build *t, uint32_t pid)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->rows[t->by_pid[mid]].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->rows[t->by_pid[lo]].pid == pid ? t->by_pid[lo] : t->n;
}

/* The subtree of root, depth first, each row after its parent; an explicit
 * stack, so a chain as long as the rows cannot run out of C stack. */
static void emit_tree(struct tree_build *t, size_t root, const struct view_opts *o,
		      struct pane_model *m, size_t (*stack)[3])
{
	/* an ancestor that was last, one that was not; this row, the last row */
	static const char *const glyph[2][4] = { { "   ", "|  ", "|- ", "`- " },
						 { "   ", "│  ", "├─ ", "└─ " } };
	size_t top = 0;

	stack[top][0] = root, stack[top][1] = 0, stack[top++][2] = 1;
	while (top) {
		size_t i = stack[--top][0], depth = stack[top][1];
		bool last = stack[top][2];
		char indent[TREE_DEPTH * 4 * 3 + 1] = "";
		size_t d = depth < TREE_DEPTH ? depth : TREE_DEPTH, len = 0;

		if (t->done[i])
			continue;
		t->done[i] = true;
		t->last[d] = last;
		for (size_t l = 1; l <= d; l++)
			len += snprintf(indent + len, sizeof(indent) - len, "%s",
					glyph[o->blocks][l < d ? !t->last[l] : last ? 3 : 2]);
		add_row(m, &t->rows[i], o, indent);
		/* children pushed last first, so the smallest pid comes out next */
		for (size_t k = t->first[i + 1]; k > t->first[i]; k--) {
			stack[top][0] = t->kids[k - 1];
			stack[top][1] = depth + 1;
			stack[top++][2] = k == t->first[i + 1];
		}
	}
}

/* F5: each process under its parent (as first seen), siblings and roots
 * by pid; rows are not sorted then. A parent that is not among the rows
 * makes a root, and so does a cycle (a hostile recording), cut anywhere. */
static void tree(const struct cpu_snap *c, const struct view_opts *o, struct pane_model *m)
{
	struct tree_build t = { .rows = c->rows, .n = c->n };
	size_t *parent = calloc(c->n + 1, sizeof(*parent)), *fill = calloc(c->n + 1, sizeof(*fill));
	size_t (*stack)[3] = NULL;

	t.by_pid = calloc(c->n + 1, sizeof(*t.by_pid));
	t.kids = calloc(c->n + 1, sizeof(*t.kids));
	t.first = calloc(c->n + 2, sizeof(*t.first));
	t.done = calloc(c->n + 1, sizeof(*t.done));
	stack = calloc(c->n + 1, sizeof(*stack));
	m->table.fixed_order = true;
	if (!parent || !fill || !t.by_pid || !t.kids || !t.first || !t.done || !stack) {
		for (size_t i = 0; i < c->n; i++) /* out of memory: a flat list */
			add_row(m, &c->rows[i], o, "");
		goto out;
	}
	for (size_t i = 0; i < c->n; i++)
		t.by_pid[i] = i;
	qsort_r(t.by_pid, c->n, sizeof(*t.by_pid), cmp_pid, (void *)c->rows);
	for (size_t i = 0; i < c->n; i++) {
		size_t p = row_of(&t, c->rows[i].ppid);

		parent[i] = p == i ? c->n : p;
		if (parent[i] < c->n)
			t.first[parent[i] + 1]++;
	}
	for (size_t i = 0; i < c->n; i++)
		t.first[i + 1] += t.first[i];
	for (size_t j = 0; j < c->n; j++) { /* in pid order */
		size_t i = t.by_pid[j], p = parent[i];

		if (p < c->n)
			t.kids[t.first[p] + fill[p]++] = i;
	}
	for (int pass = 0; pass < 2; pass++) /* roots, then what a cycle left */
		for (size_t j = 0; j < c->n; j++) {
			size_t i = t.by_pid[j];

			if (!t.done[i] && (pass || parent[i] == c->n))
				emit_tree(&t, i, o, m, stack);
		}
out:
	free(parent);
	free(fill);
	free(t.by_pid);
	free(t.kids);
	free(t.first);
	free(t.done);
	free(stack);
}

static void cpu_build(const struct snapshot *s, const struct view_opts *o, struct pane_model *m)
{
	const struct cpu_snap *c = &s->cpu;
	double busy = 0, cap = c->ncpus * 100.0;
	int used;

	if (o->threads && !o->group) {
		threads_build(s, PANE_CPU, m);
		return;
	}
	if (o->cmdline)
		model_init(m, cols_cmdline, COL_CGROUP, COL_COMM);
	else
		model_init(m, cols, NCOL, COL_CGROUP);
	for (size_t i = 0; i < c->n; i++)
		busy += c->rows[i].pct;
	model_line(m);
	model_seg(m, ROLE_TITLE, "CPU ");
	model_seg(m, ROLE_NORMAL, "%d cpus  busy %.1f%% of %.0f%%  idle %.1f%%  %zu processes on cpu",
		  c->ncpus, busy, cap,
		  c->interval_s > 0 ? c->idle_ns / (c->interval_s * 1e7) : 0.0, c->n);
	/* a bar of the whole machine's busy share */
	model_line(m);
	model_seg(m, ROLE_DIM, "[");
	used = model_bar(m, ROLE_BAR, cap > 0 ? busy / cap : 0, 40, o->blocks, '|');
	model_seg(m, ROLE_DIM, "%*s]", 40 - used, "");
	if (o->group) {
		groups_view(s, PANE_CPU, o->group, m);
		return;
	}
	if (o->tree) {
		model_seg(m, ROLE_DIM, " tree: F5");
		tree(c, o, m);
		return;
	}
	for (size_t i = 0; i < c->n; i++)
		add_row(m, &c->rows[i], o, "");
}

static cJSON *cpu_json(const struct snapshot *s, bool history)
{
	(void)history;
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_CreateArray();

	json_num(o, "ncpus", s->cpu.ncpus);
	json_num(o, "idle_ns", s->cpu.idle_ns);
	json_num(o, "interval_s", s->cpu.interval_s);
	for (size_t i = 0; i < s->cpu.n; i++) {
		const struct cpu_row *r = &s->cpu.rows[i];
		cJSON *p = cJSON_CreateObject();

		json_num(p, "pid", r->pid);
		json_add_text(p, "comm", r->comm);
		json_num(p, "cpu_pct", r->pct);
		json_num(p, "oncpu_ns", r->oncpu_ns);
		json_add_text(p, "cgroup", r->cgroup ? r->cgroup : "");
		if (r->cmdline)
			json_add_text(p, "cmdline", r->cmdline);
		json_num(p, "uid", r->uid);
		if (r->ppid)
			json_num(p, "ppid", r->ppid);
		if (r->ntrend) {
			cJSON *t = cJSON_AddArrayToObject(p, "trend");
			int known = r->ntrend < CPU_TREND ? r->ntrend : CPU_TREND;

			for (int k = CPU_TREND - known; k < CPU_TREND; k++)
				cJSON_AddItemToArray(t, cJSON_CreateNumber(r->trend[k]));
		}
		json_add_text(p, "user", r->user);
		json_num(p, "threads", r->threads);
		cJSON_AddItemToArray(arr, p);
	}
	cJSON_AddItemToObject(o, "processes", arr);
	cJSON_AddItemToObject(o, "groups", groups_json(s, PANE_CPU));
	threads_json(o, &s->cpu);
	return o;
}

/* "trend": the newest last; more than CPU_TREND keeps the newest */
static void trend_parse(const cJSON *arr, struct cpu_row *r)
{
	int n = cJSON_GetArraySize(arr), k = 0;
	const cJSON *v;

	if (n > CPU_TREND)
		n = CPU_TREND;
	cJSON_ArrayForEach(v, arr) {
		if (k++ < cJSON_GetArraySize(arr) - n)
			continue;
		r->trend[CPU_TREND - n + r->ntrend++] =
			cJSON_IsNumber(v) && isfinite(v->valuedouble)
				? (float)fmin(fmax(v->valuedouble, 0), 1e6) : 0;
	}
}

static int cpu_parse(const cJSON *o, struct snapshot *s)
{
	const cJSON *arr = json_get_array(o, "processes"), *it;
	size_t n = cJSON_GetArraySize(arr);

	s->cpu.ncpus = json_get_u32(o, "ncpus");
	s->cpu.idle_ns = json_get_u64(o, "idle_ns");
	s->cpu.interval_s = json_get_num(o, "interval_s");
	if (n && !(s->cpu.rows = calloc(n, sizeof(*s->cpu.rows))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		struct cpu_row *r = &s->cpu.rows[s->cpu.n++];
		char cgroup[4096]; /* and the command line after it */

		r->pid = json_get_u32(it, "pid");
		r->uid = json_get_u32(it, "uid");
		r->ppid = json_get_u32(it, "ppid");
		trend_parse(json_get_array(it, "trend"), r);
		user_from(it, r->uid, r->user, sizeof(r->user));
		r->threads = json_get_u32(it, "threads");
		r->oncpu_ns = json_get_u64(it, "oncpu_ns");
		r->pct = json_get_num(it, "cpu_pct");
		json_get_text(it, "comm", r->comm, sizeof(r->comm));
		json_get_text(it, "cgroup", cgroup, sizeof(cgroup));
		if (!(r->cgroup = strdup(cgroup)))
			return -ENOMEM;
		json_get_text(it, "cmdline", cgroup, sizeof(cgroup));
		if (cgroup[0] && !(r->cmdline = strdup(cgroup)))
			return -ENOMEM;
	}
	return threads_parse(o, &s->cpu);
}

const struct pane cpu_pane = {
	.default_sort = COL_CPU,
	.build = cpu_build,
	.json = cpu_json,
	.parse = cpu_parse,
};

/* Pane 1: on-CPU time per process over the last interval. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "views/view.h"

enum { COL_PID, COL_USER, COL_THR, COL_CPU, COL_ONCPU, COL_COMM, COL_CGROUP, NCOL };

/* the columns both layouts share */
#define PROCESS_COLS                                                    \
	[COL_PID] = { "PID", 7, ALIGN_RIGHT, true, 0 },                 \
	[COL_USER] = { "USER", USER_COLS, ALIGN_LEFT, false, 2 },       \
	[COL_THR] = { "THR", 4, ALIGN_RIGHT, true, 1 },                 \
	[COL_CPU] = { "CPU%", 6, ALIGN_RIGHT, true, 0 },                \
	[COL_ONCPU] = { "ONCPU", 8, ALIGN_RIGHT, true, 4 }

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

static void cpu_build(const struct snapshot *s, const struct view_opts *o, struct pane_model *m)
{
	const struct cpu_snap *c = &s->cpu;
	double busy = 0, cap = c->ncpus * 100.0;
	char buf[32];
	int used;

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
	for (size_t i = 0; i < c->n; i++) {
		const struct cpu_row *r = &c->rows[i];

		table_row(&m->table, r->pid);
		table_cell(&m->table, r->pid, "%u", r->pid);
		fmt_user(buf, sizeof(buf), r->user);
		table_cell(&m->table, 0, "%s", buf);
		table_cell(&m->table, r->threads, "%u", r->threads);
		table_cell(&m->table, r->pct, "%.1f", r->pct);
		fmt_duration_ns(buf, sizeof(buf), r->oncpu_ns);
		table_cell(&m->table, r->oncpu_ns, "%s", buf);
		if (o->cmdline) {
			table_cell(&m->table, 0, "%s", r->cmdline ? r->cmdline : r->comm);
			continue;
		}
		table_cell(&m->table, 0, "%s", r->comm);
		table_cell(&m->table, 0, "%s", r->cgroup ? r->cgroup : "");
	}
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
		json_add_text(p, "user", r->user);
		json_num(p, "threads", r->threads);
		cJSON_AddItemToArray(arr, p);
	}
	cJSON_AddItemToObject(o, "processes", arr);
	return o;
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
	return 0;
}

const struct pane cpu_pane = {
	.default_sort = COL_CPU,
	.build = cpu_build,
	.json = cpu_json,
	.parse = cpu_parse,
};

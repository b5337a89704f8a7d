/* Pane 3: syscall rates. The table is per syscall, or (P) per process; the
 * busiest processes head it. A process's own mix: Enter on its row filters
 * to it in the kernel, and the table shows its syscalls. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "views/groups.h"
#include "views/view.h"

enum { COL_NR, COL_NAME, COL_RATE, COL_COUNT, COL_ERR, COL_AVG, COL_MAX, NCOL };

static const struct column cols[NCOL] = {
	[COL_NR] = { "NR", 4, ALIGN_RIGHT, true, 0 },
	[COL_NAME] = { "SYSCALL", 18, ALIGN_LEFT, false, 0 },
	[COL_RATE] = { "CALLS/s", 9, ALIGN_RIGHT, true, 0 },
	[COL_COUNT] = { "COUNT", 9, ALIGN_RIGHT, true, 2 },
	[COL_ERR] = { "ERR/s", 8, ALIGN_RIGHT, true, 4 },
	[COL_AVG] = { "AVG", 8, ALIGN_RIGHT, true, 3 },
	[COL_MAX] = { "MAX", 8, ALIGN_RIGHT, true, 5 },
};

enum { PCOL_PID, PCOL_COMM, PCOL_RATE, PCOL_COUNT, PCOL_ERR, NPCOL };

static const struct column proc_cols[NPCOL] = {
	[PCOL_PID] = { "PID", 7, ALIGN_RIGHT, true, 0 },
	[PCOL_COMM] = { "COMM", 15, ALIGN_LEFT, false, 0 },
	[PCOL_RATE] = { "CALLS/s", 9, ALIGN_RIGHT, true, 0 },
	[PCOL_COUNT] = { "COUNT", 9, ALIGN_RIGHT, true, 2 },
	[PCOL_ERR] = { "ERRORS", 8, ALIGN_RIGHT, true, 3 },
};

static void proc_rows(const struct sys_snap *y, struct table *t)
{
	char a[32];

	for (size_t i = 0; i < y->np; i++) {
		const struct sys_proc_row *r = &y->procs[i];

		table_row(t, r->pid);
		table_cell(t, r->pid, "%u", r->pid);
		table_cell(t, 0, "%s", r->comm);
		fmt_count(a, sizeof(a), r->per_s);
		table_cell(t, r->per_s, "%s", a);
		table_cell(t, r->count, "%llu", (unsigned long long)r->count);
		table_cell(t, r->errors, "%llu", (unsigned long long)r->errors);
	}
}

static void sys_build(const struct snapshot *s, const struct view_opts *o, struct pane_model *m)
{
	const struct sys_snap *y = &s->sys;
	char a[32], b[32];

	if (o->sys_procs)
		model_init(m, proc_cols, NPCOL, PCOL_COMM);
	else
		model_init(m, cols, NCOL, -1);
	model_line(m);
	model_seg(m, ROLE_TITLE, "SYS ");
	fmt_count(a, sizeof(a), y->total_per_s);
	model_seg(m, ROLE_NORMAL, "%s syscalls/s  %zu syscalls  %zu processes", a, y->n, y->np);
	if (!y->latency)
		model_seg(m, ROLE_DIM, "  (latency off: --sys-latency)");
	model_line(m);
	model_seg(m, ROLE_DIM, "top:");
	for (size_t i = 0; i < y->np && i < 5; i++) {
		fmt_count(a, sizeof(a), y->procs[i].per_s);
		model_seg(m, ROLE_NORMAL, "  %s(%u) ", y->procs[i].comm, y->procs[i].pid);
		model_seg(m, ROLE_BAR, "%s/s", a);
	}
	model_line(m);
	if (o->group) {
		model_seg(m, ROLE_DIM, "per cgroup, of the busiest %d processes", SYS_TOP_PROCS);
		groups_view(s, PANE_SYS, o->group, m);
		return;
	}
	model_seg(m, ROLE_DIM, o->sys_procs ? "per process (P: per syscall; Enter: that process's own mix)"
					    : "per syscall (P: per process)");
	if (o->sys_procs) {
		proc_rows(y, &m->table);
		return;
	}
	for (size_t i = 0; i < y->n; i++) {
		const struct sys_row *r = &y->rows[i];

		table_row(&m->table, 0);
		m->table.row[m->table.nrow - 1].id = r->nr + 1;
		table_cell(&m->table, r->nr, "%u", r->nr);
		table_cell(&m->table, 0, "%s", r->name);
		fmt_count(a, sizeof(a), r->per_s);
		table_cell(&m->table, r->per_s, "%s", a);
		table_cell(&m->table, r->count, "%llu", (unsigned long long)r->count);
		fmt_count(a, sizeof(a), r->errors_per_s);
		table_cell(&m->table, r->errors_per_s, "%s", r->errors ? a : "-");
		fmt_duration_ns(a, sizeof(a), r->avg_lat_ns);
		fmt_duration_ns(b, sizeof(b), r->max_lat_ns);
		table_cell(&m->table, r->avg_lat_ns, "%s", y->latency ? a : "-");
		table_cell(&m->table, r->max_lat_ns, "%s", y->latency ? b : "-");
	}
}

static cJSON *sys_json(const struct snapshot *s, bool history)
{
	const struct sys_snap *y = &s->sys;
	cJSON *o = cJSON_CreateObject(), *arr;

	(void)history;
	cJSON_AddBoolToObject(o, "collecting", y->collecting);
	json_num(o, "total_per_s", y->total_per_s);
	arr = cJSON_AddArrayToObject(o, "syscalls");
	for (size_t i = 0; i < y->n; i++) {
		const struct sys_row *r = &y->rows[i];
		cJSON *e = cJSON_CreateObject();

		json_num(e, "nr", r->nr);
		json_str(e, "name", r->name);
		json_num(e, "count", r->count);
		json_num(e, "per_s", r->per_s);
		json_num(e, "errors", r->errors);
		if (y->latency) {
			json_num(e, "avg_us", r->avg_lat_ns / 1e3);
			json_num(e, "max_us", r->max_lat_ns / 1e3);
		}
		cJSON_AddItemToArray(arr, e);
	}
	arr = cJSON_AddArrayToObject(o, "processes");
	for (size_t i = 0; i < y->np; i++) {
		const struct sys_proc_row *r = &y->procs[i];
		cJSON *e = cJSON_CreateObject();

		json_num(e, "pid", r->pid);
		json_add_text(e, "comm", r->comm);
		json_num(e, "count", r->count);
		json_num(e, "per_s", r->per_s);
		json_num(e, "errors", r->errors);
		cJSON_AddItemToArray(arr, e);
	}
	cJSON_AddItemToObject(o, "groups", groups_json(s, PANE_SYS));
	return o;
}

static int sys_parse(const cJSON *o, struct snapshot *s)
{
	struct sys_snap *y = &s->sys;
	const cJSON *rows = json_get_array(o, "syscalls"), *procs = json_get_array(o, "processes");
	size_t n = cJSON_GetArraySize(rows), np = cJSON_GetArraySize(procs);
	const cJSON *it;

	y->collecting = cJSON_IsTrue(cJSON_GetObjectItem(o, "collecting"));
	y->total_per_s = json_get_num(o, "total_per_s");
	if ((n && !(y->rows = calloc(n, sizeof(*y->rows)))) ||
	    (np && !(y->procs = calloc(np, sizeof(*y->procs)))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, rows) {
		struct sys_row *r = &y->rows[y->n++];

		r->nr = json_get_u32(it, "nr");
		json_get_text(it, "name", r->name, sizeof(r->name));
		r->count = json_get_u64(it, "count");
		r->per_s = json_get_num(it, "per_s");
		r->errors = json_get_u64(it, "errors");
		r->errors_per_s = s->interval_s > 0 ? r->errors / s->interval_s : 0;
		if (cJSON_GetObjectItem(it, "avg_us")) {
			y->latency = true;
			r->avg_lat_ns = json_get_num(it, "avg_us") * 1e3;
			r->max_lat_ns = json_get_num(it, "max_us") * 1e3;
		}
	}
	cJSON_ArrayForEach(it, procs) {
		struct sys_proc_row *r = &y->procs[y->np++];

		r->pid = json_get_u32(it, "pid");
		json_get_text(it, "comm", r->comm, sizeof(r->comm));
		r->count = json_get_u64(it, "count");
		r->per_s = json_get_num(it, "per_s");
		r->errors = json_get_u64(it, "errors");
	}
	return 0;
}

const struct pane sys_pane = {
	.default_sort = COL_RATE,
	.build = sys_build,
	.json = sys_json,
	.parse = sys_parse,
};

#include <errno.h>
#include <stdlib.h>
#include "views/threads.h"
#include "views/view.h"

enum { COL_TID, COL_PID, COL_COMM, COL_A, COL_B, COL_C, NCOL };

static const struct column cpu_cols[NCOL] = {
	[COL_TID] = { "TID", 7, ALIGN_RIGHT, true, 0 },
	[COL_PID] = { "PID", 7, ALIGN_RIGHT, true, 0 },
	[COL_COMM] = { "THREAD", 15, ALIGN_LEFT, false, 0 },
	[COL_A] = { "CPU%", 6, ALIGN_RIGHT, true, 0 },
	[COL_B] = { "ONCPU", 9, ALIGN_RIGHT, true, 0 },
	[COL_C] = { "WAITS", 7, ALIGN_RIGHT, true, 1 },
};

static const struct column runq_cols[NCOL] = {
	[COL_TID] = { "TID", 7, ALIGN_RIGHT, true, 0 },
	[COL_PID] = { "PID", 7, ALIGN_RIGHT, true, 0 },
	[COL_COMM] = { "THREAD", 15, ALIGN_LEFT, false, 0 },
	[COL_A] = { "WAITS", 7, ALIGN_RIGHT, true, 0 },
	[COL_B] = { "WAITED", 9, ALIGN_RIGHT, true, 0 },
	[COL_C] = { "AVG", 8, ALIGN_RIGHT, true, 0 },
};

void threads_build(const struct snapshot *s, enum pane_id pane, struct pane_model *m)
{
	const struct cpu_snap *c = &s->cpu;
	bool cpu = pane == PANE_CPU;
	char a[32], b[32];

	model_init(m, cpu ? cpu_cols : runq_cols, NCOL, COL_COMM);
	model_line(m);
	model_seg(m, ROLE_TITLE, cpu ? "CPU " : "RUNQ ");
	model_seg(m, ROLE_NORMAL, "%zu threads", c->nthreads);
	model_seg(m, ROLE_DIM, cpu ? "  (H: processes)" : ", their waits for a CPU (H: processes)");
	if (!c->threads_on) {
		model_line(m);
		model_seg(m, ROLE_DIM, s->baseline || !c->n ? "threads: from the next refresh"
							    : "threads: none in this recording");
		return;
	}
	for (size_t i = 0; i < c->nthreads; i++) {
		const struct cpu_thread_row *r = &c->threads[i];

		table_row(&m->table, r->pid);
		m->table.row[m->table.nrow - 1].id = r->tid;
		table_cell(&m->table, r->tid, "%u", r->tid);
		table_cell(&m->table, r->pid, "%u", r->pid);
		table_cell(&m->table, 0, "%s", r->comm);
		if (cpu) {
			fmt_duration_ns(a, sizeof(a), r->oncpu_ns);
			table_cell(&m->table, r->pct, "%.1f", r->pct);
			table_cell(&m->table, r->oncpu_ns, "%s", a);
			table_cell(&m->table, r->waits, "%llu", (unsigned long long)r->waits);
		} else {
			fmt_duration_ns(a, sizeof(a), r->wait_ns);
			fmt_duration_ns(b, sizeof(b), r->waits ? r->wait_ns / (double)r->waits : 0);
			table_cell(&m->table, r->waits, "%llu", (unsigned long long)r->waits);
			table_cell(&m->table, r->wait_ns, "%s", a);
			table_cell(&m->table, r->waits ? r->wait_ns / (double)r->waits : 0, "%s", b);
		}
	}
}

void threads_json(cJSON *o, const struct cpu_snap *c)
{
	cJSON *arr;

	if (!c->threads_on)
		return;
	arr = cJSON_AddArrayToObject(o, "threads");
	for (size_t i = 0; i < c->nthreads; i++) {
		const struct cpu_thread_row *r = &c->threads[i];
		cJSON *t = cJSON_CreateObject();

		json_num(t, "pid", r->pid);
		json_num(t, "tid", r->tid);
		json_add_text(t, "comm", r->comm);
		json_num(t, "cpu_pct", r->pct);
		json_num(t, "oncpu_ns", r->oncpu_ns);
		json_num(t, "waits", r->waits);
		json_num(t, "wait_ns", r->wait_ns);
		cJSON_AddItemToArray(arr, t);
	}
}

int threads_parse(const cJSON *o, struct cpu_snap *c)
{
	const cJSON *arr = cJSON_GetObjectItem(o, "threads"), *it;
	size_t n = cJSON_GetArraySize(arr);

	if (!cJSON_IsArray(arr))
		return 0;
	c->threads_on = true;
	if (n && !(c->threads = calloc(n, sizeof(*c->threads))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		struct cpu_thread_row *r = &c->threads[c->nthreads++];

		r->pid = json_get_u32(it, "pid");
		r->tid = json_get_u32(it, "tid");
		json_get_text(it, "comm", r->comm, sizeof(r->comm));
		r->pct = json_get_num(it, "cpu_pct");
		r->oncpu_ns = json_get_u64(it, "oncpu_ns");
		r->waits = json_get_u64(it, "waits");
		r->wait_ns = json_get_u64(it, "wait_ns");
	}
	return 0;
}

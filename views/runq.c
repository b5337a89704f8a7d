/* Pane 2: run-queue latency. A histogram folded to powers of two, the
 * percentiles, a heat map of the last intervals (time left to right,
 * latency bottom to top), and the processes that waited longest. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/histogram.h"
#include "views/groups.h"
#include "views/threads.h"
#include "views/view.h"

/* who waited */
enum { COL_PID, COL_COMM, COL_COUNT, COL_SLOW, COL_P50, COL_P99, COL_P999, COL_MAX, NCOL };

static const struct column cols[NCOL] = {
	[COL_PID] = { "PID", 7, ALIGN_RIGHT, true, 0 },
	[COL_COMM] = { "COMMAND", 15, ALIGN_LEFT, false, 0 },
	[COL_COUNT] = { "WAITS", 7, ALIGN_RIGHT, true, 2 },
	[COL_SLOW] = { "SLOW", 6, ALIGN_RIGHT, true, 0 },
	[COL_P50] = { "P50", 8, ALIGN_RIGHT, true, 3 },
	[COL_P99] = { "P99", 8, ALIGN_RIGHT, true, 0 },
	[COL_P999] = { "P99.9", 8, ALIGN_RIGHT, true, 4 },
	[COL_MAX] = { "MAX<", 8, ALIGN_RIGHT, true, 1 },
};

/* who made them wait (w), and whom one of them delayed (Enter) */
enum { DCOL_PID, DCOL_COMM, DCOL_CAUSED, DCOL_WAITS, DCOL_WORST, DCOL_VICTIMS, NDCOL };

static const struct column culprit_cols[NDCOL] = {
	[DCOL_PID] = { "PID", 7, ALIGN_RIGHT, true, 0 },
	[DCOL_COMM] = { "COMMAND", 15, ALIGN_LEFT, false, 0 },
	[DCOL_CAUSED] = { "CAUSED", 8, ALIGN_RIGHT, true, 0 },
	[DCOL_WAITS] = { "WAITS", 7, ALIGN_RIGHT, true, 0 },
	[DCOL_WORST] = { "WORST", 8, ALIGN_RIGHT, true, 0 },
	[DCOL_VICTIMS] = { "VICTIMS", 7, ALIGN_RIGHT, true, 0 },
};

/* The sort key of SLOW: the slow waits, then the p99 (us, below 2^27 for
 * any bucket), so that with no slow wait the column sorts as P99 does. */
#define SLOW_KEY(r) ((double)(r)->slow * 134217728.0 + (r)->p99_us)

#define RUNQ_TABLE_ROWS 6 /* a table kept on a short screen */
#define HEAT_WIDTH 60 /* intervals shown when the width is not known */
#define HEAT_LABEL 10 /* the "   1.0ms+ " before each line */

/* power-of-two rows: row r holds [2^r, 2^(r+1)) us (row 0 also holds 0) */
static void fold(const uint64_t *hist, uint64_t *rows, int nrows)
{
	memset(rows, 0, nrows * sizeof(*rows));
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		rows[hist_pow2_row(i, nrows - 1)] += hist[i];
}

/* Each drawing below takes lines from *room and draws nothing when it
 * needs more than that. */
static void histogram(const struct runq_snap *q, const struct view_opts *o, struct pane_model *m,
		      int *room)
{
	uint64_t rows[RUNQ_HEAT_ROWS], top = 0;
	int first = -1, last = -1;
	char lo[16], hi[16];

	fold(q->hist, rows, RUNQ_HEAT_ROWS);
	for (int r = 0; r < RUNQ_HEAT_ROWS; r++)
		if (rows[r]) {
			if (first < 0)
				first = r;
			last = r;
			if (rows[r] > top)
				top = rows[r];
		}
	if (last - first + 1 > *room)
		return;
	*room -= last - first + 1;
	for (int r = first; r >= 0 && r <= last; r++) {
		fmt_us(lo, sizeof(lo), r ? (double)(1u << r) : 0);
		fmt_us(hi, sizeof(hi), (double)(2u << r));
		model_line(m);
		model_seg(m, ROLE_DIM, "%8s .. %-8s", lo, hi);
		model_seg(m, ROLE_NORMAL, " %9llu |", (unsigned long long)rows[r]);
		model_bar(m, ROLE_BAR, top ? (double)rows[r] / top : 0, 40, o->blocks, '*');
	}
}

/* A cell's level, 0-4: each level holds about 4x the waits of the one
 * below, the top level the busiest cells (log scale against top). */
static int heat_level(uint32_t v, uint32_t top)
{
	int k = 0;

	for (uint32_t t = top; t > v && k < 4; t /= 4)
		k++;
	return 4 - k;
}

/* "waits a cell: · 1-3 ░ 4-15 ...": the counts each level stands for */
static void heat_legend(struct pane_model *m, uint32_t top, const char *const *mark)
{
	uint32_t t[5] = { top };

	for (int k = 1; k < 5; k++)
		t[k] = t[k - 1] / 4;
	model_line(m);
	model_seg(m, ROLE_DIM, "%10s", "waits: ");
	for (int level = 0; level <= 4; level++) {
		uint32_t lo = level ? t[4 - level] : 1;
		uint32_t hi = level == 4 ? top : t[3 - level] ? t[3 - level] - 1 : 0;

		if (lo < 1)
			lo = 1;
		if (lo > hi)
			continue;
		model_seg(m, ROLE_HEAT0 + level, "%s", mark[level]);
		if (lo == hi)
			model_seg(m, ROLE_DIM, " %u", lo);
		else
			model_seg(m, ROLE_DIM, " %u-%u", lo, hi);
		if (level < 4)
			model_seg(m, ROLE_DIM, "  ");
	}
}

/* Waits per interval (columns, newest at the right) per power of two of
 * microseconds (lines), as much history as the width holds: a cell's
 * colour (heat roles) and character both say how many. */
static void heat_map(const struct runq_snap *q, const struct view_opts *o, struct pane_model *m,
		     int *room)
{
	static const char *const cells_utf8[5] = { "·", "░", "▒", "▓", "█" };
	static const char *const cells_ascii[5] = { ".", ":", "+", "*", "#" };
	const char *const *mark = o->blocks ? cells_utf8 : cells_ascii;
	int width = o->width > HEAT_LABEL + 10 ? o->width - HEAT_LABEL : HEAT_WIDTH;
	int from = q->heat_cols > width ? q->heat_cols - width : 0;
	int lo = RUNQ_HEAT_ROWS, hi = -1;
	uint32_t top = 0;
	char label[16];

	for (int c = from; c < q->heat_cols; c++)
		for (int r = 0; r < RUNQ_HEAT_ROWS; r++)
			if (q->heat[c][r]) {
				lo = r < lo ? r : lo;
				hi = r > hi ? r : hi;
				top = q->heat[c][r] > top ? q->heat[c][r] : top;
			}
	if (hi < 0 || hi - lo + 3 > *room) /* its lines, the title and the legend */
		return;
	*room -= hi - lo + 3;
	model_line(m);
	model_seg(m, ROLE_TITLE, "heat map");
	model_seg(m, ROLE_DIM, " (last %d intervals, newest right)", q->heat_cols - from);
	for (int r = hi; r >= lo; r--) {
		model_line(m);
		fmt_us(label, sizeof(label), (double)(1u << r));
		model_seg(m, ROLE_DIM, "%8s+ ", label);
		for (int c = from; c < q->heat_cols; c++) {
			uint32_t v = q->heat[c][r];

			if (!v) {
				model_seg(m, ROLE_NORMAL, " ");
				continue;
			}
			model_seg(m, ROLE_HEAT0 + heat_level(v, top), "%s", mark[heat_level(v, top)]);
		}
	}
	heat_legend(m, top, mark);
}

static void delay_row(struct table *t, uint32_t pid, const char *comm, uint64_t caused_ns,
		      uint64_t waits, double worst_us, long victims)
{
	char a[16];

	table_row(t, pid);
	table_cell(t, pid, "%u", pid);
	table_cell(t, 0, "%s", comm);
	fmt_us(a, sizeof(a), caused_ns / 1e3);
	table_cell(t, caused_ns, "%s", a);
	table_cell(t, waits, "%llu", (unsigned long long)waits);
	fmt_us(a, sizeof(a), worst_us);
	table_cell(t, worst_us, "%s", a);
	if (victims >= 0) /* a culprit's row; one victim's has no such column */
		table_cell(t, victims, "%ld", victims);
}

/* Who made them wait, by delay caused: what each process, while it held
 * a CPU, made the others' waits last; or whom one culprit delayed. */
static void delay_rows(const struct runq_snap *q, const struct view_opts *o, struct pane_model *m)
{
	model_line(m);
	if (o->runq_table == RUNQ_CULPRITS) {
		model_seg(m, ROLE_TITLE, "who made them wait");
		model_seg(m, ROLE_DIM, ", by delay caused (w: who waited; Enter: whom it delayed)");
		for (size_t i = 0; i < q->nculprits; i++) {
			const struct runq_culprit_row *c = &q->culprits[i];

			delay_row(&m->table, c->pid, c->comm, c->caused_ns, c->waits, c->worst_us,
				  c->victims);
		}
	} else {
		model_seg(m, ROLE_TITLE, "whom pid %u delayed", o->runq_culprit);
		model_seg(m, ROLE_DIM, ": its share of their waits (Backspace: back)");
		for (size_t i = 0; i < q->ndelays; i++) {
			const struct runq_delay_row *d = &q->delays[i];

			if (d->culprit == o->runq_culprit)
				delay_row(&m->table, d->victim, d->victim_comm, d->caused_ns, d->waits,
					  d->worst_us, -1);
		}
	}
	if (q->delays_lost) {
		model_line(m);
		model_seg(m, ROLE_WARN, "%llu pairs not kept since start: the table of who delayed "
			  "whom was full", (unsigned long long)q->delays_lost);
	}
}

static void runq_build(const struct snapshot *s, const struct view_opts *o, struct pane_model *m)
{
	const struct runq_snap *q = &s->runq;
	char a[16], b[16], c[16], d[16];
	int room;

	if (o->threads && !o->group) {
		threads_build(s, PANE_RUNQ, m);
		return;
	}
	if (o->runq_table != RUNQ_WAITED && !o->group)
		model_init(m, culprit_cols, o->runq_table == RUNQ_CULPRITS ? NDCOL : NDCOL - 1, -1);
	else
		model_init(m, cols, NCOL, -1);
	fmt_us(a, sizeof(a), q->p50_us);
	fmt_us(b, sizeof(b), q->p90_us);
	fmt_us(c, sizeof(c), q->p99_us);
	fmt_us(d, sizeof(d), q->max_us);
	model_line(m);
	model_seg(m, ROLE_TITLE, "RUNQ ");
	model_seg(m, ROLE_NORMAL, "%llu waits  p50 %s  p90 %s  ", (unsigned long long)q->count, a, b);
	model_seg(m, q->p99_us > 10000 ? ROLE_CRIT : q->p99_us > 1000 ? ROLE_WARN : ROLE_NORMAL,
		  "p99 %s", c);
	model_seg(m, ROLE_NORMAL, "  max %s", d);
	/* on a short screen the table keeps RUNQ_TABLE_ROWS rows (and its
	 * title and header): the heat map gives way first, then the histogram */
	room = o->height ? o->height - 3 - RUNQ_TABLE_ROWS : INT_MAX;
	histogram(q, o, m, &room);
	heat_map(q, o, m, &room);
	if (o->group) {
		model_line(m);
		groups_view(s, PANE_RUNQ, o->group, m);
		return;
	}
	if (o->runq_table != RUNQ_WAITED) {
		delay_rows(q, o, m);
		return;
	}
	model_line(m);
	fmt_us(a, sizeof(a), q->slow_us);
	model_seg(m, ROLE_TITLE, "who waited");
	model_seg(m, ROLE_DIM, ", SLOW: %s+ (w: who made them wait; Enter: who delayed it)", a);
	for (size_t i = 0; i < q->np; i++) {
		const struct runq_proc_row *r = &q->procs[i];

		table_row(&m->table, r->pid);
		table_cell(&m->table, r->pid, "%u", r->pid);
		table_cell(&m->table, 0, "%s", r->comm);
		table_cell(&m->table, r->count, "%llu", (unsigned long long)r->count);
		table_cell(&m->table, SLOW_KEY(r), "%llu", (unsigned long long)r->slow);
		fmt_us(a, sizeof(a), r->p50_us);
		fmt_us(b, sizeof(b), r->p99_us);
		table_cell(&m->table, r->p50_us, "%s", a);
		table_cell(&m->table, r->p99_us, "%s", b);
		fmt_us(a, sizeof(a), r->p999_us);
		fmt_us(c, sizeof(c), r->max_us);
		table_cell(&m->table, r->p999_us, "%s", a);
		table_cell(&m->table, r->max_us, "%s", c);
	}
}

/* "buckets": the non-empty ones, each with its upper bound */
static void buckets_json(cJSON *o, const uint64_t *hist)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "buckets");

	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		cJSON *b;

		if (!hist[i])
			continue;
		b = cJSON_CreateObject();
		json_num(b, "le_us", bucket_high(i));
		json_num(b, "count", hist[i]);
		cJSON_AddItemToArray(arr, b);
	}
}

/* le_us is a bucket's upper bound: the microsecond below it is in it */
static void buckets_parse(const cJSON *o, uint64_t *hist)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_get_array(o, "buckets")) {
		uint64_t le = json_get_u64(it, "le_us");

		if (le)
			hist[bucket_index(le - 1)] += json_get_u64(it, "count");
	}
}

static cJSON *runq_json(const struct snapshot *s, bool history)
{
	const struct runq_snap *q = &s->runq;
	cJSON *o = cJSON_CreateObject(), *arr;

	(void)history;
	json_num(o, "count", q->count);
	json_num(o, "p50_us", q->p50_us);
	json_num(o, "p90_us", q->p90_us);
	json_num(o, "p99_us", q->p99_us);
	json_num(o, "max_us", q->max_us);
	buckets_json(o, q->hist);
	arr = cJSON_AddArrayToObject(o, "processes");
	for (size_t i = 0; i < q->np; i++) {
		const struct runq_proc_row *r = &q->procs[i];
		cJSON *p = cJSON_CreateObject();

		json_num(p, "pid", r->pid);
		json_add_text(p, "comm", r->comm);
		json_num(p, "count", r->count);
		json_num(p, "p50_us", r->p50_us);
		json_num(p, "p99_us", r->p99_us);
		json_num(p, "p999_us", r->p999_us);
		json_num(p, "max_us", r->max_us);
		json_num(p, "slow", r->slow);
		buckets_json(p, r->hist); /* so a replay's filter can merge them again */
		cJSON_AddItemToArray(arr, p);
	}
	json_num(o, "slow_us", q->slow_us);
	json_num(o, "delays_lost", q->delays_lost);
	arr = cJSON_AddArrayToObject(o, "culprits");
	for (size_t i = 0; i < q->nculprits; i++) {
		const struct runq_culprit_row *c = &q->culprits[i];
		cJSON *p = cJSON_CreateObject();

		json_num(p, "pid", c->pid);
		json_add_text(p, "comm", c->comm);
		json_num(p, "caused_us", c->caused_ns / 1e3);
		json_num(p, "waits", c->waits);
		json_num(p, "worst_us", c->worst_us);
		json_num(p, "victims", c->victims);
		cJSON_AddItemToArray(arr, p);
	}
	/* who delayed whom: the culprits above are these added up */
	arr = cJSON_AddArrayToObject(o, "delays");
	for (size_t i = 0; i < q->ndelays; i++) {
		const struct runq_delay_row *d = &q->delays[i];
		cJSON *p = cJSON_CreateObject();

		json_num(p, "culprit", d->culprit);
		json_add_text(p, "culprit_comm", d->culprit_comm);
		json_num(p, "victim", d->victim);
		json_add_text(p, "victim_comm", d->victim_comm);
		json_num(p, "caused_ns", d->caused_ns);
		json_num(p, "waits", d->waits);
		json_num(p, "worst_us", d->worst_us);
		cJSON_AddItemToArray(arr, p);
	}
	if (q->nsamples) { /* test-only: EBTOP_RUNQ_SAMPLES=1 */
		arr = cJSON_AddArrayToObject(o, "samples");
		for (size_t i = 0; i < q->nsamples; i++) {
			cJSON *pair = cJSON_CreateArray();

			cJSON_AddItemToArray(pair, cJSON_CreateNumber(q->samples[i][0]));
			cJSON_AddItemToArray(pair, cJSON_CreateNumber(q->samples[i][1]));
			cJSON_AddItemToArray(arr, pair);
		}
	}
	cJSON_AddItemToObject(o, "groups", groups_json(s, PANE_RUNQ));
	return o;
}

/* The recorded pairs; the culprits are theirs added up, as live. */
static int delays_parse(const cJSON *arr, struct runq_snap *q)
{
	size_t n = cJSON_GetArraySize(arr);
	const cJSON *it;

	if (n && !(q->delays = calloc(n, sizeof(*q->delays))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		struct runq_delay_row *d = &q->delays[q->ndelays++];

		d->culprit = json_get_u32(it, "culprit");
		d->victim = json_get_u32(it, "victim");
		json_get_text(it, "culprit_comm", d->culprit_comm, sizeof(d->culprit_comm));
		json_get_text(it, "victim_comm", d->victim_comm, sizeof(d->victim_comm));
		d->caused_ns = json_get_u64(it, "caused_ns");
		d->waits = json_get_u64(it, "waits");
		d->worst_us = json_get_num(it, "worst_us");
	}
	return runq_culprits(q);
}

static int runq_parse(const cJSON *o, struct snapshot *s)
{
	struct runq_snap *q = &s->runq;
	const cJSON *arr = json_get_array(o, "processes"), *it;
	size_t n = cJSON_GetArraySize(arr);

	q->count = json_get_u64(o, "count");
	q->p50_us = json_get_num(o, "p50_us");
	q->p90_us = json_get_num(o, "p90_us");
	q->p99_us = json_get_num(o, "p99_us");
	q->max_us = json_get_num(o, "max_us");
	buckets_parse(o, q->hist);
	if (n && !(q->procs = calloc(n, sizeof(*q->procs))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		struct runq_proc_row *r = &q->procs[q->np++];

		r->pid = json_get_u32(it, "pid");
		json_get_text(it, "comm", r->comm, sizeof(r->comm));
		r->count = json_get_u64(it, "count");
		r->p50_us = json_get_num(it, "p50_us");
		r->p99_us = json_get_num(it, "p99_us");
		r->p999_us = json_get_num(it, "p999_us");
		r->max_us = json_get_num(it, "max_us");
		r->slow = json_get_u64(it, "slow");
		buckets_parse(it, r->hist);
	}
	q->slow_us = json_get_u64(o, "slow_us");
	q->delays_lost = json_get_u64(o, "delays_lost");
	return delays_parse(json_get_array(o, "delays"), q);
}

const struct pane runq_pane = {
	.default_sort = COL_SLOW,
	.build = runq_build,
	.json = runq_json,
	.parse = runq_parse,
};

/* Pane 6: on-CPU stacks. Each row is one stack of one process in the
 * interval, with its share of the samples; the STACK column reads from the
 * leaf (where the CPU was) outwards to its callers. F shows them as a
 * flame graph instead: an icicle, all samples at the top, then each
 * command, then its frames from the root down, a frame as wide as its
 * share of the samples. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "views/text.h"
#include "views/view.h"

enum { COL_SHARE, COL_SAMPLES, COL_PID, COL_COMM, COL_STACK, NCOL };

static const struct column cols[NCOL] = {
	[COL_SHARE] = { "SHARE%", 6, ALIGN_RIGHT, true, 0 },
	[COL_SAMPLES] = { "SAMPLES", 7, ALIGN_RIGHT, true, 2 },
	[COL_PID] = { "PID", 7, ALIGN_RIGHT, true, 1 },
	[COL_COMM] = { "COMM", 15, ALIGN_LEFT, false, 0 },
	[COL_STACK] = { "STACK (leaf < callers)", 22, ALIGN_LEFT, false, 0 },
};

/* off-CPU: the same, with time blocked for samples */
static const struct column off_cols[NCOL] = {
	[COL_SHARE] = { "SHARE%", 6, ALIGN_RIGHT, true, 0 },
	[COL_SAMPLES] = { "BLOCKED", 8, ALIGN_RIGHT, true, 2 },
	[COL_PID] = { "PID", 7, ALIGN_RIGHT, true, 1 },
	[COL_COMM] = { "COMM", 15, ALIGN_LEFT, false, 0 },
	[COL_STACK] = { "STACK (leaf < callers)", 22, ALIGN_LEFT, false, 0 },
};

/* The row's frames, leaf first, joined by " < ", into buf. */
static void leaf_first(const struct stack_row *r, char *buf, size_t len)
{
	const char **f = r->nframes ? malloc(r->nframes * sizeof(*f)) : NULL;
	const char *p = r->frames;
	size_t used = 0;

	buf[0] = '\0';
	if (!f)
		return;
	for (uint32_t i = 0; i < r->nframes; i++, p += strlen(p) + 1)
		f[i] = p;
	for (uint32_t i = r->nframes; i-- > 0 && used + 1 < len;)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", f[i], i ? " < " : "");
	free(f);
}

static uint64_t row_id(const struct stack_row *r)
{
	return fnv1a(r->frames, stack_frames_len(r), fnv1a(&r->pid, sizeof(r->pid), FNV1A_SEED));
}

/* The flame graph's tree: a node per frame reached by the same path. */
struct fnode {
	const char *name;   /* into a row's frames, or its comm */
	uint64_t count;
	int child, next;    /* first child, next sibling: indexes, -1 none */
};

struct flame {
	struct fnode *node;
	int n, cap;
};

static int flame_node(struct flame *f, const char *name)
{
	if (f->n == f->cap) {
		int cap = f->cap ? f->cap * 2 : 256;
		struct fnode *p = realloc(f->node, cap * sizeof(*p));

		if (!p)
			return -1;
		f->node = p;
		f->cap = cap;
	}
	f->node[f->n] = (struct fnode){ name, 0, -1, -1 };
	return f->n++;
}

/* The child of parent named name, made if there is none (-1: no memory). */
static int flame_child(struct flame *f, int parent, const char *name)
{
	int last = -1, k;

	for (k = f->node[parent].child; k >= 0; k = f->node[k].next) {
		if (!strcmp(f->node[k].name, name))
			return k;
		last = k;
	}
	/* by index, not pointer: making the node may move them all */
	k = flame_node(f, name);
	if (k >= 0 && last >= 0)
		f->node[last].next = k;
	else if (k >= 0)
		f->node[parent].child = k;
	return k;
}

static int flame_build(struct flame *f, const struct stack_snap *y)
{
	if (flame_node(f, "all") < 0)
		return -1;
	for (size_t i = 0; i < y->n; i++) {
		const struct stack_row *r = &y->rows[i];
		const char *p = r->frames;
		int at = flame_child(f, 0, r->comm);

		if (at < 0)
			return -1;
		f->node[0].count += r->count;
		f->node[at].count += r->count;
		for (uint32_t k = 0; k < r->nframes; k++, p += strlen(p) + 1) {
			if ((at = flame_child(f, at, p)) < 0)
				return -1;
			f->node[at].count += r->count;
		}
	}
	return 0;
}

static enum role frame_role(const char *name)
{
	size_t len = strlen(name);

	if (name[0] == '[' || strstr(name, "+0x"))
		return ROLE_FLAME_OTHER;
	if (len > 4 && !strcmp(name + len - 4, "_[k]"))
		return ROLE_FLAME_KERNEL;
	return ROLE_FLAME_USER;
}

/* One block on a line: cells [x0, x1) of node k. */
struct block {
	int x0, x1, node;
};

struct level {
	struct block *b;
	int n, cap;
};

/* Lay node k out over cells [x0, x1) at depth d, its children after it. */
static void flame_place(const struct flame *f, int k, double x0, double x1, int d,
			struct level *lv, int depths)
{
	double x = x0, per = f->node[k].count ? (x1 - x0) / f->node[k].count : 0;
	struct level *l = &lv[d];

	/* narrower than a cell: left out, with what it called, rather than
	 * drawn as a sliver wherever it straddles two cells */
	if (d >= depths || x1 - x0 < 1 || (int)x1 <= (int)x0)
		return;
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 32;
		struct block *b = realloc(l->b, cap * sizeof(*b));

		if (!b)
			return;
		l->b = b;
		l->cap = cap;
	}
	l->b[l->n++] = (struct block){ (int)x0, (int)x1, k };
	for (int c = f->node[k].child; c >= 0; c = f->node[c].next) {
		double w = f->node[c].count * per;

		flame_place(f, c, x, x + w, d + 1, lv, depths);
		x += w;
	}
}

/* A block's text: its name (kernel frames without "_[k]": their colour
 * says it), cut to the block less the one cell that parts it from the
 * next. */
static void block_text(const char *name, int cells, char *buf, size_t len)
{
	size_t n = strlen(name);

	if (n > 4 && !strcmp(name + n - 4, "_[k]"))
		n -= 4;
	if (cells > 1 && n > (size_t)(cells - 1))
		n = cells - 1;
	snprintf(buf, len, "%-*.*s", cells > 1 ? cells - 1 : cells, (int)n, cells > 1 ? name : "");
}

static void flame_lines(const struct stack_snap *y, const struct view_opts *o, struct pane_model *m)
{
	int width = o->width > 0 ? o->width : 100;
	/* below the two title lines and the table's header */
	int depths = o->height > 0 ? o->height - 3 : 40;
	struct flame f = { 0 };
	struct level *lv;
	char buf[1024];

	if (depths < 1)
		depths = 1;
	lv = calloc(depths, sizeof(*lv));
	if (!lv || flame_build(&f, y) || !f.node[0].count) {
		free(lv);
		free(f.node);
		return;
	}
	flame_place(&f, 0, 0, width, 0, lv, depths);
	for (int d = 0; d < depths && lv[d].n; d++) {
		int x = 0;

		model_line(m);
		for (int i = 0; i < lv[d].n; i++) {
			const struct block *b = &lv[d].b[i];

			if (b->x0 > x)
				model_seg(m, ROLE_NORMAL, "%*s", b->x0 - x, "");
			block_text(f.node[b->node].name, b->x1 - b->x0, buf, sizeof(buf));
			model_seg(m, frame_role(f.node[b->node].name), "%s", buf);
			if (b->x1 - b->x0 > 1)
				model_seg(m, ROLE_NORMAL, " ");
			x = b->x1;
		}
	}
	for (int d = 0; d < depths; d++)
		free(lv[d].b);
	free(lv);
	free(f.node);
}

static void stack_build(const struct snapshot *s, const struct view_opts *o, struct pane_model *m)
{
	const struct stack_snap *y = &s->stack;
	char buf[4096];

	model_init(m, y->offcpu ? off_cols : cols, NCOL, COL_STACK);
	model_line(m);
	model_seg(m, ROLE_TITLE, "STACK ");
	if (y->offcpu) {
		fmt_duration_ns(buf, sizeof(buf), (double)y->total);
		model_seg(m, ROLE_NORMAL, "off-CPU  blocks of %llu us or more: %llu, %s in all  %zu stacks",
			  (unsigned long long)y->min_us, (unsigned long long)y->samples, buf, y->n);
	} else {
		model_seg(m, ROLE_NORMAL, "on-CPU  %u Hz  %llu samples  %zu stacks", y->hz,
			  (unsigned long long)y->samples, y->n);
	}
	if (y->lost)
		model_seg(m, ROLE_WARN, "  %llu not counted (stack map full)",
			  (unsigned long long)y->lost);
	if (y->others)
		model_seg(m, ROLE_DIM, "  %llu in stacks past the top %d",
			  (unsigned long long)y->others, STACK_TOP);
	model_line(m);
	if (!y->collecting)
		model_seg(m, ROLE_DIM, "not sampling: sampling runs while this pane shows (or --prof)");
	else if (o->stack_flame)
		model_seg(m, ROLE_DIM, "flame graph, root at the top; colours: user, kernel, unnamed (F: table)");
	else
		model_seg(m, ROLE_DIM, "frames ending _[k] are the kernel's (F: flame graph, o: %s)",
			  y->offcpu ? "on-CPU" : "off-CPU");
	if (o->stack_flame) {
		flame_lines(y, o, m);
		return;
	}
	for (size_t i = 0; i < y->n; i++) {
		const struct stack_row *r = &y->rows[i];
		uint64_t of = y->offcpu ? y->total : y->samples;
		double share = of ? 100.0 * r->count / of : 0;

		table_row(&m->table, r->pid);
		m->table.row[m->table.nrow - 1].id = row_id(r);
		table_cell(&m->table, share, "%.1f", share);
		if (y->offcpu) {
			fmt_duration_ns(buf, sizeof(buf), (double)r->count);
			table_cell(&m->table, r->count, "%s", buf);
		} else {
			table_cell(&m->table, r->count, "%llu", (unsigned long long)r->count);
		}
		table_cell(&m->table, r->pid, "%u", r->pid);
		table_cell(&m->table, 0, "%s", r->comm);
		leaf_first(r, buf, sizeof(buf));
		table_cell(&m->table, 0, "%s", buf);
	}
}

static cJSON *stack_json(const struct snapshot *s, bool history)
{
	const struct stack_snap *y = &s->stack;
	cJSON *o = cJSON_CreateObject(), *arr;

	(void)history;
	json_str(o, "mode", y->offcpu ? "offcpu" : "oncpu");
	cJSON_AddBoolToObject(o, "collecting", y->collecting);
	json_num(o, y->offcpu ? "min_us" : "hz", y->offcpu ? y->min_us : y->hz);
	json_num(o, "samples", y->samples);
	json_num(o, "lost", y->lost);
	json_num(o, "others", y->others);
	json_num(o, "total", y->total);
	arr = cJSON_AddArrayToObject(o, "stacks");
	for (size_t i = 0; i < y->n; i++) {
		const struct stack_row *r = &y->rows[i];
		cJSON *e = cJSON_CreateObject(), *frames;
		const char *p = r->frames;

		json_num(e, "pid", r->pid);
		json_add_text(e, "comm", r->comm);
		frames = cJSON_AddArrayToObject(e, "frames");
		for (uint32_t k = 0; k < r->nframes; k++, p += strlen(p) + 1) {
			/* sanitized: names come from the files of any process */
			char *clean = text_sanitize(p, strlen(p));

			cJSON_AddItemToArray(frames, cJSON_CreateString(clean ? clean : ""));
			free(clean);
		}
		json_num(e, y->offcpu ? "ns" : "count", r->count);
		cJSON_AddItemToArray(arr, e);
	}
	return o;
}

/* The frames of one recorded stack: strings only, each cut to
 * STACK_FRAME_MAX, at most STACK_FRAMES_MAX of them, as the probe makes
 * them. */
static int parse_frames(const cJSON *frames, struct stack_row *r)
{
	struct stack_frames fr = { 0 };
	const cJSON *f;

	cJSON_ArrayForEach(f, frames) {
		const char *name = cJSON_GetStringValue(f);

		if (!name || fr.n >= STACK_FRAMES_MAX)
			continue;
		if (stack_frames_add(&fr, name, strnlen(name, STACK_FRAME_MAX - 1), "")) {
			free(fr.buf);
			return -ENOMEM;
		}
	}
	r->frames = fr.buf;
	r->nframes = fr.n;
	return 0;
}

static int stack_parse(const cJSON *o, struct snapshot *s)
{
	struct stack_snap *y = &s->stack;
	const cJSON *rows = json_get_array(o, "stacks"), *it;
	size_t n = cJSON_GetArraySize(rows);

	y->collecting = cJSON_IsTrue(cJSON_GetObjectItem(o, "collecting"));
	y->offcpu = !strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(o, "mode")) ?: "", "offcpu");
	y->hz = json_get_u32(o, "hz");
	y->min_us = json_get_u64(o, "min_us");
	y->total = json_get_u64(o, "total");
	y->samples = json_get_u64(o, "samples");
	y->lost = json_get_u64(o, "lost");
	y->others = json_get_u64(o, "others");
	if (n > STACK_TOP)
		n = STACK_TOP;
	if (n && !(y->rows = calloc(n, sizeof(*y->rows))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, rows) {
		struct stack_row *r;

		if (y->n == n)
			break;
		r = &y->rows[y->n++];
		r->pid = json_get_u32(it, "pid");
		json_get_text(it, "comm", r->comm, sizeof(r->comm));
		r->count = json_get_u64(it, y->offcpu ? "ns" : "count");
		if (parse_frames(json_get_array(it, "frames"), r))
			return -ENOMEM;
	}
	return 0;
}

const struct pane stack_pane = {
	.default_sort = COL_SHARE,
	.build = stack_build,
	.json = stack_json,
	.parse = stack_parse,
};

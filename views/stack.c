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
	int parent, child, next; /* indexes, -1 none; child: the first, next: a sibling */
};

struct flame {
	struct fnode *node;
	int n, cap;
};

static int flame_node(struct flame *f, int parent, const char *name)
{
	if (f->n == f->cap) {
		int cap = f->cap ? f->cap * 2 : 256;
		struct fnode *p = realloc(f->node, cap * sizeof(*p));

		if (!p)
			return -1;
		f->node = p;
		f->cap = cap;
	}
	f->node[f->n] = (struct fnode){ name, 0, parent, -1, -1 };
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
	k = flame_node(f, parent, name);
	if (k >= 0 && last >= 0)
		f->node[last].next = k;
	else if (k >= 0)
		f->node[parent].child = k;
	return k;
}

static int flame_build(struct flame *f, const struct stack_snap *y)
{
	if (flame_node(f, -1, "all") < 0)
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

/* The node a path names (see view_opts.flame_zoom), or -1 if this
 * interval has none. */
static int flame_find(const struct flame *f, const char *path)
{
	int at = 0;

	while (*path) {
		size_t n = strcspn(path, (char[]){ FLAME_SEP, 0 });
		int k;

		for (k = f->node[at].child; k >= 0; k = f->node[k].next)
			if (strlen(f->node[k].name) == n && !memcmp(f->node[k].name, path, n))
				break;
		if (k < 0)
			return -1;
		at = k;
		path += n + (path[n] == FLAME_SEP);
	}
	return at;
}

/* The nodes from k up to below the root, k first, into up; their count.
 * A row has at most STACK_FRAMES_MAX frames under its comm. */
#define FLAME_DEPTH_MAX (STACK_FRAMES_MAX + 1)
static int flame_up(const struct flame *f, int k, int up[FLAME_DEPTH_MAX])
{
	int n = 0;

	for (; k > 0 && n < FLAME_DEPTH_MAX; k = f->node[k].parent)
		up[n++] = k;
	return n;
}

/* Node k's path into buf; false if it does not fit (buf unchanged). */
static bool flame_path(const struct flame *f, int k, char *buf, size_t len)
{
	char tmp[FLAME_PATH_LEN];
	int up[FLAME_DEPTH_MAX], n = flame_up(f, k, up);
	size_t at = 0;

	tmp[0] = '\0';
	while (n--) {
		const char *name = f->node[up[n]].name;
		size_t l = strlen(name);

		if (at + l + 2 > sizeof(tmp) || at + l + 1 > len)
			return false;
		memcpy(tmp + at, name, l);
		at += l;
		tmp[at] = n ? FLAME_SEP : '\0';
		at += n > 0;
	}
	tmp[at] = '\0';
	memcpy(buf, tmp, at + 1);
	return true;
}

/* Whether node k is top or below it. */
static bool flame_under(const struct flame *f, int k, int top)
{
	for (; k >= 0; k = f->node[k].parent)
		if (k == top)
			return true;
	return false;
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

/* The flame graph of an interval as o shows it: the tree, the zoomed and
 * selected nodes (the zoom's own when o's are not there), and the blocks
 * from the zoomed one down, a level a line. */
struct flame_view {
	struct flame f;
	int zoom, sel;
	bool zoom_gone;         /* o's zoom names a frame this interval lacks */
	struct level *lv;
	int depths;
};

static void flame_view_free(struct flame_view *v)
{
	for (int d = 0; v->lv && d < v->depths; d++)
		free(v->lv[d].b);
	free(v->lv);
	free(v->f.node);
}

/* -1: no samples or no memory */
static int flame_view_make(const struct stack_snap *y, const struct view_opts *o,
			   struct flame_view *v)
{
	int width = o->width > 0 ? o->width : 100;

	memset(v, 0, sizeof(*v));
	/* below the two title lines, and the zoom's callers' line */
	v->depths = o->height > 0 ? o->height - 2 - !!o->flame_zoom[0] : 40;
	if (v->depths < 1)
		v->depths = 1;
	v->lv = calloc(v->depths, sizeof(*v->lv));
	if (!v->lv || flame_build(&v->f, y) || !v->f.node[0].count) {
		flame_view_free(v);
		return -1;
	}
	v->zoom = flame_find(&v->f, o->flame_zoom);
	v->zoom_gone = v->zoom < 0;
	if (v->zoom < 0)
		v->zoom = 0;
	v->sel = flame_find(&v->f, o->flame_sel);
	if (v->sel < 0 || !flame_under(&v->f, v->sel, v->zoom))
		v->sel = v->zoom;
	flame_place(&v->f, v->zoom, 0, width, 0, v->lv, v->depths);
	return 0;
}

/* Where node k's block is: its level and index there; false if it has
 * none (too narrow, or too deep for the screen). */
static bool flame_block_of(const struct flame_view *v, int k, int *d, int *i)
{
	for (*d = 0; *d < v->depths; (*d)++)
		for (*i = 0; *i < v->lv[*d].n; (*i)++)
			if (v->lv[*d].b[*i].node == k)
				return true;
	return false;
}

int stack_flame_move(const struct stack_snap *y, struct view_opts *o, enum flame_move how)
{
	struct flame_view v;
	int to = -1, d, i;
	bool ok = false;

	if (flame_view_make(y, o, &v)) {
		/* no samples: nothing to move over, but a zoom can still go */
		if (how != FLAME_UNZOOM || !o->flame_zoom[0])
			return -1;
		o->flame_zoom[0] = '\0';
		return 0;
	}
	if (!flame_block_of(&v, v.sel, &d, &i)) { /* off screen: from the zoom's block */
		d = i = 0;
		v.sel = v.zoom;
	}
	switch (how) {
	case FLAME_UP:
		to = v.sel != v.zoom ? v.f.node[v.sel].parent : -1;
		break;
	case FLAME_DOWN: /* the widest of its callees on screen */
		for (int j = 0; d + 1 < v.depths && j < v.lv[d + 1].n; j++) {
			int c = v.lv[d + 1].b[j].node;

			if (v.f.node[c].parent == v.sel && (to < 0 || v.f.node[c].count > v.f.node[to].count))
				to = c;
		}
		break;
	case FLAME_LEFT:
	case FLAME_RIGHT:
		i += how == FLAME_LEFT ? -1 : 1;
		to = i >= 0 && i < v.lv[d].n ? v.lv[d].b[i].node : -1;
		break;
	case FLAME_ZOOM:
		ok = v.sel != v.zoom && flame_path(&v.f, v.sel, o->flame_zoom, sizeof(o->flame_zoom));
		break;
	case FLAME_UNZOOM: /* one frame out; a zoom whose frame is gone, out to all */
		if (!o->flame_zoom[0])
			break;
		if (v.zoom_gone)
			o->flame_zoom[0] = '\0';
		ok = v.zoom_gone ||
		     flame_path(&v.f, v.f.node[v.zoom].parent, o->flame_zoom, sizeof(o->flame_zoom));
		break;
	}
	if (to >= 0)
		ok = flame_path(&v.f, to, o->flame_sel, sizeof(o->flame_sel));
	flame_view_free(&v);
	return ok ? 0 : -1;
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

/* The samples (or time) of the blocks whose names hold match, each
 * counted once however many matching frames it is below. */
static uint64_t flame_matched(const struct flame *f, int k, const char *match)
{
	uint64_t sum = 0;

	if (strstr(f->node[k].name, match))
		return f->node[k].count;
	for (int c = f->node[k].child; c >= 0; c = f->node[c].next)
		sum += flame_matched(f, c, match);
	return sum;
}

static void fmt_amount(const struct stack_snap *y, uint64_t n, char *buf, size_t len)
{
	if (y->offcpu)
		fmt_duration_ns(buf, len, (double)n);
	else
		snprintf(buf, len, "%llu sample%s", (unsigned long long)n, n == 1 ? "" : "s");
}

/* The keys' hint at the end of the last line, where the screen has room
 * for all of it (the help lists them anyway). */
static void hint_if_room(struct pane_model *m, const struct view_opts *o, const char *hint)
{
	const struct line *l = &m->line[m->nline - 1];
	int used = 0;

	for (int i = 0; i < l->nseg; i++)
		used += text_width(l->seg[i].text);
	if (o->width <= 0 || used + text_width(hint) <= o->width)
		model_seg(m, ROLE_DIM, "%s", hint);
}

/* The line under the title: what is selected, how much of all it is, the
 * zoom and the search's share. */
static void flame_status(const struct stack_snap *y, const struct view_opts *o,
			 const struct flame_view *v, struct pane_model *m)
{
	const struct fnode *sel = &v->f.node[v->sel], *all = &v->f.node[0];
	char amount[64];

	fmt_amount(y, sel->count, amount, sizeof(amount));
	model_seg(m, ROLE_NORMAL, "%s: %s, %.1f%%", sel->name, amount, 100.0 * sel->count / all->count);
	if (v->zoom && v->sel != v->zoom)
		model_seg(m, ROLE_NORMAL, " (%.1f%% of %s)", 100.0 * sel->count / v->f.node[v->zoom].count,
			  v->f.node[v->zoom].name);
	if (o->flame_match && *o->flame_match)
		model_seg(m, ROLE_FLAME_MATCH, "  \"%s\": %.1f%%", o->flame_match,
			  100.0 * flame_matched(&v->f, v->zoom, o->flame_match) / all->count);
	if (v->zoom_gone)
		model_seg(m, ROLE_WARN, "  the zoomed frame has no samples now");
	hint_if_room(m, o, v->zoom ? "  (arrows, Enter: zoom, Backspace: out, F: table)"
				   : "  (arrows, Enter: zoom, F: table)");
}

/* "in all > comm > ... > caller", the callers of the zoomed frame. */
static void flame_callers(const struct flame_view *v, struct pane_model *m)
{
	int up[FLAME_DEPTH_MAX], n = flame_up(&v->f, v->f.node[v->zoom].parent, up);

	model_line(m);
	model_seg(m, ROLE_DIM, "in all");
	while (n--)
		model_seg(m, ROLE_DIM, " > %s", v->f.node[up[n]].name);
}

static enum role block_role(const struct view_opts *o, const struct flame_view *v, int k)
{
	if (k == v->sel)
		return ROLE_FLAME_SELECTED;
	if (o->flame_match && *o->flame_match && strstr(v->f.node[k].name, o->flame_match))
		return ROLE_FLAME_MATCH;
	return frame_role(v->f.node[k].name);
}

static void flame_lines(const struct stack_snap *y, const struct view_opts *o, struct pane_model *m)
{
	struct flame_view v;
	char buf[1024];

	if (flame_view_make(y, o, &v)) {
		model_seg(m, ROLE_DIM, "flame graph: no samples in this interval (F: table)");
		return;
	}
	flame_status(y, o, &v, m);
	if (v.zoom) /* where the zoomed frame is: its callers */
		flame_callers(&v, m);
	for (int d = 0; d < v.depths && v.lv[d].n; d++) {
		int x = 0;

		model_line(m);
		for (int i = 0; i < v.lv[d].n; i++) {
			const struct block *b = &v.lv[d].b[i];

			if (b->x0 > x)
				model_seg(m, ROLE_NORMAL, "%*s", b->x0 - x, "");
			block_text(v.f.node[b->node].name, b->x1 - b->x0, buf, sizeof(buf));
			model_seg(m, block_role(o, &v, b->node), "%s", buf);
			if (b->x1 - b->x0 > 1)
				model_seg(m, ROLE_NORMAL, " ");
			x = b->x1;
		}
	}
	flame_view_free(&v);
}

static void stack_build(const struct snapshot *s, const struct view_opts *o, struct pane_model *m)
{
	const struct stack_snap *y = &s->stack;
	char buf[4096];

	/* the flame graph is lines, with no table */
	if (o->stack_flame)
		model_init(m, NULL, 0, -1);
	else
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
	else if (!o->stack_flame)
		model_seg(m, ROLE_DIM, "frames ending _[k] are the kernel's (F: flame graph, o: %s)",
			  y->offcpu ? "on-CPU" : "off-CPU");
	if (o->stack_flame) {
		if (y->collecting)
			flame_lines(y, o, m); /* its line says what is selected */
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

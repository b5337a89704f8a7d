#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "views/model.h"
#include "views/text.h"

static void *grow(void *p, int *cap, int need, size_t size)
{
	int ncap;
	void *n;

	if (need <= *cap)
		return p;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	n = realloc(p, ncap * size);
	if (!n)
		abort(); /* out of memory while building a frame: nothing sane to show */
	*cap = ncap;
	return n;
}

static char *vformat(const char *fmt, va_list ap)
{
	char *raw = NULL, *clean;
	int len = vasprintf(&raw, fmt, ap);

	if (len < 0)
		abort();
	clean = text_sanitize(raw, len);
	free(raw);
	if (!clean)
		abort();
	return clean;
}

void model_init(struct pane_model *m, const struct column *cols, int ncol, int expand)
{
	memset(m, 0, sizeof(*m));
	m->table.col = cols;
	m->table.ncol = ncol;
	m->table.expand = expand;
}

void model_free(struct pane_model *m)
{
	for (int i = 0; i < m->nline; i++) {
		for (int j = 0; j < m->line[i].nseg; j++)
			free(m->line[i].seg[j].text);
		free(m->line[i].seg);
	}
	free(m->line);
	for (int i = 0; i < m->table.nrow; i++) {
		for (int j = 0; j < m->table.ncol; j++)
			free(m->table.row[i].cell[j]);
		free(m->table.row[i].cell);
		free(m->table.row[i].key);
	}
	free(m->table.row);
	memset(m, 0, sizeof(*m));
}

void model_line(struct pane_model *m)
{
	m->line = grow(m->line, &m->cap, m->nline + 1, sizeof(*m->line));
	memset(&m->line[m->nline++], 0, sizeof(struct line));
}

static void add_seg(struct pane_model *m, enum role role, char *text)
{
	struct line *l;

	if (!m->nline)
		model_line(m);
	l = &m->line[m->nline - 1];
	l->seg = grow(l->seg, &l->cap, l->nseg + 1, sizeof(*l->seg));
	l->seg[l->nseg++] = (struct seg){ role, text };
}

void model_seg(struct pane_model *m, enum role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_seg(m, role, vformat(fmt, ap));
	va_end(ap);
}

const char *const model_eighths[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };

int model_bar(struct pane_model *m, enum role role, double frac, int cells, bool utf8,
	      char ascii)
{
	long e = lround((frac > 1 ? 1 : frac > 0 ? frac : 0) * cells * 8);
	int full, used;
	char buf[4 * 512 + 8];
	size_t n = 0;

	if (cells > 512)
		cells = 512;
	if (!utf8)
		e = (e + 4) / 8 * 8;
	full = (int)(e / 8);
	for (int i = 0; i < full; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s", utf8 ? "█" : (char[]){ ascii, 0 });
	used = full;
	if (utf8 && e % 8) {
		n += snprintf(buf + n, sizeof(buf) - n, "%s", model_eighths[e % 8]);
		used++;
	}
	buf[n] = '\0';
	if (n)
		model_seg(m, role, "%s", buf);
	return used;
}

void table_row(struct table *t, unsigned pid)
{
	struct row *r;

	t->row = grow(t->row, &t->cap, t->nrow + 1, sizeof(*t->row));
	r = &t->row[t->nrow++];
	r->pid = pid;
	r->id = pid;
	r->cell = calloc(t->ncol, sizeof(*r->cell));
	r->key = calloc(t->ncol, sizeof(*r->key));
	if (!r->cell || !r->key)
		abort();
}

void table_cell(struct table *t, double key, const char *fmt, ...)
{
	struct row *r = &t->row[t->nrow - 1];
	va_list ap;
	int c;

	for (c = 0; c < t->ncol && r->cell[c]; c++)
		;
	if (c == t->ncol)
		return;
	va_start(ap, fmt);
	r->cell[c] = vformat(fmt, ap);
	va_end(ap);
	r->key[c] = key;
}

/* qsort has no context argument: the sort column travels in these. */
static int sort_col;
static int sort_dir;
static bool sort_numeric;

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int d;

	if (sort_numeric)
		d = (x->key[sort_col] < y->key[sort_col]) - (x->key[sort_col] > y->key[sort_col]);
	else
		d = strcasecmp(x->cell[sort_col] ? x->cell[sort_col] : "",
			       y->cell[sort_col] ? y->cell[sort_col] : "");
	if (!d) /* stable, predictable order for ties */
		d = (x->pid > y->pid) - (x->pid < y->pid);
	return d * sort_dir;
}

void table_sort(struct table *t, int col, bool reverse)
{
	if (col < 0 || col >= t->ncol || t->nrow < 2 || t->fixed_order)
		return;
	sort_col = col;
	sort_numeric = t->col[col].numeric;
	sort_dir = reverse ? -1 : 1;
	qsort(t->row, t->nrow, sizeof(*t->row), cmp_rows);
}

static bool row_matches(const struct table *t, const struct row *r, const char *needle)
{
	for (int c = 0; c < t->ncol; c++)
		if (r->cell[c] && strcasestr(r->cell[c], needle))
			return true;
	return false;
}

int table_find(const struct table *t, int from, const char *needle, int dir)
{
	if (!needle || !*needle || !t->nrow)
		return -1;
	for (int step = 1; step <= t->nrow; step++) {
		int i = ((from + dir * step) % t->nrow + t->nrow) % t->nrow;

		if (row_matches(t, &t->row[i], needle))
			return i;
	}
	return -1;
}

int table_keep_matching(struct table *t, const char *needle)
{
	int n = 0;

	if (!needle || !*needle)
		return 0;
	for (int i = 0; i < t->nrow; i++) {
		struct row *r = &t->row[i];

		if (row_matches(t, r, needle)) {
			t->row[n++] = *r;
			continue;
		}
		for (int c = 0; c < t->ncol; c++)
			free(r->cell[c]);
		free(r->cell);
		free(r->key);
	}
	n = t->nrow - n;
	t->nrow -= n;
	return n;
}

/* Minimums widened to the header and content (the expand column: to its
 * header only); returns the total with one space between columns. */
static int natural_widths(const struct table *t, int *width)
{
	int used = 0;

	for (int c = 0; c < t->ncol; c++) {
		width[c] = t->col[c].width;
		if (text_width(t->col[c].name) > width[c])
			width[c] = text_width(t->col[c].name);
		if (c != t->expand)
			for (int r = 0; r < t->nrow; r++) {
				int w = t->row[r].cell[c] ? text_width(t->row[r].cell[c]) : 0;

				if (w > width[c])
					width[c] = w;
			}
		used += width[c] + (c ? 1 : 0);
	}
	return used;
}

void table_layout(const struct table *t, int total, int *width)
{
	int used = natural_widths(t, width);

	if (t->expand >= 0 && used < total)
		width[t->expand] += total - used;
}

/* Drop the lowest-prio column still shown (the rightmost of equals). */
static bool drop_one(const struct table *t, int keep, int *width, int *used)
{
	int victim = -1;

	for (int c = 0; c < t->ncol; c++)
		if (width[c] && t->col[c].prio && c != keep &&
		    (victim < 0 || t->col[c].prio <= t->col[victim].prio))
			victim = c;
	if (victim < 0)
		return false;
	*used -= width[victim] + 1;
	width[victim] = 0;
	return true;
}

int table_pinned(const struct table *t)
{
	int pinned = 0;

	while (pinned < t->ncol && !t->col[pinned].prio)
		pinned++;
	return pinned;
}

int table_fit(const struct table *t, int total, int hscroll, int keep, int *width)
{
	int used = natural_widths(t, width), pinned = table_pinned(t), hidden = 0, x = 0;
	bool scrolled_shown = false, full = false;

	if (pinned == t->ncol)
		hscroll = 0;
	if (hscroll <= 0)
		while (used > total &&
		       (drop_one(t, keep, width, &used) || drop_one(t, -1, width, &used)))
			hidden++;
	for (int c = 0; c < t->ncol; c++) {
		if (c >= pinned && c - pinned < hscroll) {
			width[c] = 0; /* scrolled off to the left */
			continue;
		}
		if (!width[c])
			continue;
		/* what does not fit goes, all after it too; the first column,
		 * and the first one scrolled to, are shown cut rather than not */
		if (full || (x + width[c] > total && x && (c < pinned || scrolled_shown))) {
			width[c] = 0;
			hidden++;
			full = true;
			continue;
		}
		scrolled_shown |= c >= pinned;
		x += width[c] + 1;
	}
	if (t->expand >= 0 && width[t->expand] && x - 1 < total)
		width[t->expand] += total - (x - 1);
	return hidden;
}

static void print_cell(FILE *out, const char *s, int width, enum align align, bool last)
{
	int pad = width - text_width(s);

	if (pad < 0)
		pad = 0;
	if (align == ALIGN_RIGHT)
		fprintf(out, "%*s%s", pad, "", s);
	else if (last)
		fputs(s, out);
	else
		fprintf(out, "%s%*s", s, pad, "");
}

void model_print(const struct pane_model *m, FILE *out, int width)
{
	const struct table *t = &m->table;
	int w[t->ncol > 0 ? t->ncol : 1];

	for (int i = 0; i < m->nline; i++) {
		for (int j = 0; j < m->line[i].nseg; j++)
			fputs(m->line[i].seg[j].text, out);
		fputc('\n', out);
	}
	if (!t->ncol)
		return;
	table_layout(t, width, w);
	for (int c = 0; c < t->ncol; c++) {
		fputs(c ? " " : "", out);
		print_cell(out, t->col[c].name, w[c], t->col[c].align, c == t->ncol - 1);
	}
	fputc('\n', out);
	for (int r = 0; r < t->nrow; r++) {
		for (int c = 0; c < t->ncol; c++) {
			fputs(c ? " " : "", out);
			print_cell(out, t->row[r].cell[c] ? t->row[r].cell[c] : "", w[c],
				   t->col[c].align, c == t->ncol - 1);
		}
		fputc('\n', out);
	}
}

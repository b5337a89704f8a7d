/* The view model every pane produces: styled lines above a table of
 * selectable, sortable rows. Painted by curses, printed by --batch; views
 * never call curses. Colours are named by role, never picked by a view. */
#ifndef EBTOP_MODEL_H
#define EBTOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum role {
	ROLE_NORMAL, ROLE_TITLE, ROLE_HEADER, ROLE_SORTED, ROLE_SELECTED, ROLE_STATUS,
	ROLE_HINT, ROLE_HINT_KEY, ROLE_DIM, ROLE_WARN, ROLE_CRIT, ROLE_BAR, ROLE_TAB,
	ROLE_TAB_ACTIVE, ROLE_HEAT0, ROLE_HEAT1, ROLE_HEAT2, ROLE_HEAT3, ROLE_HEAT4,
	ROLE_FLAME_USER, ROLE_FLAME_KERNEL, ROLE_FLAME_OTHER, ROLE_FLAME_SELECTED,
	ROLE_FLAME_MATCH, NROLES
};

struct seg {
	enum role role;
	char *text;         /* sanitized UTF-8 */
};

struct line {
	struct seg *seg;
	int nseg, cap;
};

enum align { ALIGN_LEFT, ALIGN_RIGHT };

struct column {
	const char *name;
	int width;          /* minimum display width */
	enum align align;
	bool numeric;       /* sort by key, largest first; else by text */
	int prio;           /* 0: essential, shown at any width; else a column
			     * that does not fit goes, lowest prio first */
};

struct row {
	unsigned pid;       /* process the row is about, 0 if none */
	uint64_t id;        /* identity the selection follows (default: pid) */
	char **cell;
	double *key;
};

struct table {
	const struct column *col;
	int ncol;
	int expand;         /* column that takes the width left, -1 none */
	bool fixed_order;   /* the rows are in the order the view made (a tree) */
	struct row *row;
	int nrow, cap;
};

struct pane_model {
	struct line *line;  /* shown above the table */
	int nline, cap;
	struct table table;
};

void model_init(struct pane_model *m, const struct column *cols, int ncol, int expand);
void model_free(struct pane_model *m);
/* Start a new line above the table; model_seg appends to the last one. */
void model_line(struct pane_model *m);
void model_seg(struct pane_model *m, enum role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A cell filled 1/8 to 7/8 from the left, by eighths (▏ .. ▉); [0] is "". */
extern const char *const model_eighths[8];

/* A bar of frac (0..1) of cells columns: full blocks and an eighth block
 * in UTF-8, the ascii character otherwise. Returns the columns it took. */
int model_bar(struct pane_model *m, enum role role, double frac, int cells, bool utf8,
	      char ascii);

/* Rows: table_row opens one, table_cell fills the next column. key is the
 * numeric sort key (ignored for text columns). Text goes through the
 * sanitizer. */
void table_row(struct table *t, unsigned pid);
void table_cell(struct table *t, double key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sort by column col; numeric columns put the largest first, text ones
 * ascend; reverse flips either. */
void table_sort(struct table *t, int col, bool reverse);
/* Row index of the next row (after from, wrapping, in direction dir = +1
 * or -1) with needle in any cell, case-insensitively; -1 if none. */
int table_find(const struct table *t, int from, const char *needle, int dir);
/* Drop the rows with needle in no cell (case-insensitively); returns how
 * many went. An empty needle keeps all. */
int table_keep_matching(struct table *t, const char *needle);
/* Column widths for total columns: minimums, widened to content, the
 * expand column taking what is left. Every column is kept (--batch). */
void table_layout(const struct table *t, int total, int *width);
/* The same for a screen total columns wide, where a column not shown gets
 * width 0. At hscroll 0 the columns that do not fit go, lowest prio first,
 * column keep (the one sorted by) last of them; at hscroll k the leading
 * essential columns stay (the row's identity) and the others are shown
 * from the k-th on, as many as fit. Returns how many columns are hidden
 * that scrolling right would bring in. */
int table_fit(const struct table *t, int total, int hscroll, int keep, int *width);
/* How many leading columns are essential: they stay when it scrolls. */
int table_pinned(const struct table *t);

/* Plain-text rendering (--batch): lines, header, rows. */
void model_print(const struct pane_model *m, FILE *out, int width);

#endif

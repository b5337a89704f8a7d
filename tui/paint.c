/* Styled lines and tables -> curses. The only file that draws; it clips
 * everything to the window, so any size down to 1x1 is safe. */
#include <curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "tui/keys.h"
#include "tui/paint.h"
#include "tui/replay.h"
#include "tui/menu.h"
#include "tui/sigmenu.h"
#include "tui/log.h"
#include "views/text.h"
#include "tui/theme.h"
#include "views/view.h"

static bool utf8;

/* Draw s at (y, x) in at most max columns; returns columns used. On a
 * non-UTF-8 locale, anything past ASCII is shown as '?'. */
static int put(int y, int x, const char *s, int max, enum role role)
{
	int used = 0;

	if (max <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + max > COLS)
		max = COLS - x;
	attrset(theme_attr(role));
	if (utf8) {
		size_t n = text_fit(s, max, &used);

		mvaddnstr(y, x, s, n);
	} else {
		move(y, x);
		for (const unsigned char *p = (const unsigned char *)s; *p && used < max; p++) {
			if ((*p & 0xc0) == 0x80)
				continue;
			addch(*p < 0x80 ? *p : '?');
			used++;
		}
	}
	return used;
}

static void fill(int y, int x, int width, enum role role)
{
	if (y < 0 || y >= LINES || x >= COLS || width <= 0)
		return;
	if (x + width > COLS)
		width = COLS - x;
	attrset(theme_attr(role));
	mvhline(y, x, ' ', width);
}

/* Lines of segments; a line whose first segment has a filled role (status,
 * hints) fills the row. Returns rows used. */
static int draw_lines(const struct pane_model *m, int y, int max_rows, enum role fill_role)
{
	int n = m->nline < max_rows ? m->nline : max_rows;

	for (int i = 0; i < n; i++) {
		int x = 0;

		if (fill_role != ROLE_NORMAL)
			fill(y + i, 0, COLS, fill_role);
		for (int j = 0; j < m->line[i].nseg; j++)
			x += put(y + i, x, m->line[i].seg[j].text, COLS - x, m->line[i].seg[j].role);
	}
	return n;
}

static void draw_cell(int y, int x, const char *s, int width, enum align align, enum role role)
{
	int w = text_width(s);

	if (align == ALIGN_RIGHT && w < width)
		x += width - w;
	put(y, x, s, width, role);
}

static void draw_table(struct app *a, int y, int rows)
{
	const struct table *t = &a->model.table;
	struct pane_state *ps = app_table_state(a);
	int w[t->ncol > 0 ? t->ncol : 1], pinned = table_pinned(t);
	bool marked = false;

	if (!t->ncol || rows < 2)
		return;
	a->cols_right = table_fit(t, COLS, ps->hscroll, ps->sort_col, w);
	fill(y, 0, COLS, ROLE_HEADER);
	a->map.header_y = y;
	memset(a->map.col_w, 0, sizeof(a->map.col_w));
	for (int c = 0, x = 0; c < t->ncol && x < COLS; c++) {
		char name[64];
		bool sorted = c == ps->sort_col && !t->fixed_order;

		if (!w[c])
			continue;
		/* columns scrolled off to the left: a marker after the pinned ones */
		if (ps->hscroll && c >= pinned && !marked) {
			marked = true;
			if (x)
				put(y, x - 1, utf8 ? "◀" : "<", 1, ROLE_SORTED);
		}
		snprintf(name, sizeof(name), "%s%s", t->col[c].name,
			 !sorted ? "" : utf8 ? (ps->reverse ? "▲" : "▼") : (ps->reverse ? "^" : "v"));
		draw_cell(y, x, name, w[c], t->col[c].align, sorted ? ROLE_SORTED : ROLE_HEADER);
		if (c < SCREEN_MAX_COLS) {
			a->map.col_x[c] = x;
			a->map.col_w[c] = w[c];
		}
		x += w[c] + 1;
	}
	if (a->cols_right) /* more columns: Right brings them */
		put(y, COLS - 1, utf8 ? "▶" : ">", 1, ROLE_SORTED);
	rows--;
	y++;
	a->page_rows = rows;
	a->map.rows_y = y;
	if (ps->selected < ps->scroll)
		ps->scroll = ps->selected;
	if (ps->selected >= ps->scroll + rows)
		ps->scroll = ps->selected - rows + 1;
	if (ps->scroll > t->nrow - rows)
		ps->scroll = t->nrow - rows > 0 ? t->nrow - rows : 0;
	a->map.nrows = rows < t->nrow - ps->scroll ? rows : t->nrow - ps->scroll;
	for (int r = 0; r < rows && ps->scroll + r < t->nrow; r++) {
		const struct row *row = &t->row[ps->scroll + r];
		enum role role = ps->scroll + r == ps->selected ? ROLE_SELECTED : ROLE_NORMAL;

		if (role == ROLE_SELECTED)
			fill(y + r, 0, COLS, role);
		for (int c = 0, x = 0; c < t->ncol && x < COLS; c++) {
			if (!w[c])
				continue;
			draw_cell(y + r, x, row->cell[c] ? row->cell[c] : "", w[c], t->col[c].align,
				  role);
			x += w[c] + 1;
		}
	}
}

static void draw_tabs(struct app *a)
{
	char clock[16];
	time_t now = time(NULL);
	struct tm tm;
	int x = 0;

	fill(0, 0, COLS, ROLE_TAB);
	for (int p = 0; p < NPANES; p++) {
		char tab[32];

		snprintf(tab, sizeof(tab), " %d %s ", p + 1, pane_name(p));
		x += put(0, x, tab, COLS - x, p == a->pane ? ROLE_TAB_ACTIVE : ROLE_TAB);
		a->map.tab_end[p] = x;
	}
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), " %H:%M:%S ", &tm);
	if (COLS - x > 16)
		put(0, COLS - 16, " ebtop", 6, ROLE_TAB), put(0, COLS - 10, clock, 10, ROLE_TAB);
}

/* The filter the user set, "pid 1,2 | cgroup /a", after lead. */
static void filter_segs(const struct app *a, struct pane_model *m, const char *lead)
{
	if (a->npids) {
		model_seg(m, ROLE_STATUS, "%spid ", lead);
		for (size_t i = 0; i < a->npids; i++)
			model_seg(m, ROLE_STATUS, "%s%u", i ? "," : "", a->pids[i]);
		lead = " | ";
	}
	if (a->cgroup[0])
		model_seg(m, ROLE_STATUS, "%scgroup %s", lead, a->cgroup);
}

static void rows_segs(const struct app *a, struct pane_model *m)
{
	if (a->ndrill) {
		model_seg(m, ROLE_STATUS, " | all");
		for (int i = 0; i < a->ndrill; i++)
			model_seg(m, ROLE_STATUS, " > %s", a->drill[i].label);
	}
	if (a->rows_matching[0])
		model_seg(m, ROLE_WARN, " | rows matching '%s'", a->rows_matching);
}

/* Filter, interval, pause, unavailable panes, latest message. */
static void status_model(struct app *a, struct pane_model *m)
{
	char question[128];

	model_init(m, NULL, 0, -1);
	model_line(m);
	if (sigmenu_question(a, question, sizeof(question))) {
		model_seg(m, ROLE_CRIT, "%s", question);
		return;
	}
	if (a->prompt != PROMPT_NONE) {
		static const char *const label[] = { "", "PID filter", "cgroup filter", "search",
						     "go to time (HH:MM[:SS], -90s, -5m)",
						     "only rows matching (empty: all)" };

		model_seg(m, ROLE_STATUS, " %s: %s", label[a->prompt], a->input);
		model_seg(m, ROLE_HINT_KEY, "_");
		model_seg(m, ROLE_STATUS, "  (Enter accept, Esc cancel)");
		return;
	}
	if (a->replay) {
		char when[16];
		time_t t = a->snap.wall.tv_sec;
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		model_seg(m, ROLE_CRIT, " REPLAY %s ", when);
		model_seg(m, ROLE_STATUS, " frame %zu/%zu%s", a->frame + 1, replay_frames(a->replay),
			  a->playing ? "" : " stopped");
		if (a->playing)
			model_seg(m, ROLE_STATUS, " playing x%g", a->speed);
		if (app_replay_filtered(a))
			filter_segs(a, m, " | filter (replay): ");
		rows_segs(a, m);
		if (replay_damaged(a->replay))
			model_seg(m, ROLE_WARN, " | %zu damaged frames skipped",
				  replay_damaged(a->replay));
		if (*log_last())
			model_seg(m, ROLE_STATUS, " | %s", log_last());
		return;
	}
	if (a->rewound) {
		struct replay *h = a->history;
		uint64_t newest = replay_time_ns(h, replay_frames(h) - 1);
		double back = ((double)newest - (double)replay_time_ns(h, a->frame)) / 1e9;
		char when[16], live[16], ago[24];
		time_t t = a->snap.wall.tv_sec, tl = (time_t)(newest / 1000000000ull);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		localtime_r(&tl, &tm);
		strftime(live, sizeof(live), "%H:%M:%S", &tm);
		if (back < 60)
			snprintf(ago, sizeof(ago), "-%.1fs", back);
		else
			snprintf(ago, sizeof(ago), "-%dm%02ds", (int)(back / 60), (int)back % 60);
		model_seg(m, ROLE_CRIT, " REWIND %s (%s) ", when, ago);
		model_seg(m, ROLE_STATUS, "  live %s  (] or space: live)", live);
		if (*log_last())
			model_seg(m, ROLE_STATUS, " | %s", log_last());
		return;
	}
	if (a->recorder && a->interactive)
		model_seg(m, ROLE_CRIT, " REC ");
	if (a->paused)
		model_seg(m, ROLE_CRIT, " PAUSED ");
	model_seg(m, ROLE_STATUS, " every %gs", a->delay);
	if (a->npids || a->cgroup[0])
		filter_segs(a, m, " | ");
	else
		model_seg(m, ROLE_STATUS, " | no filter");
	rows_segs(a, m);
	if (a->have_snap)
		for (int p = 0; p < NPANES; p++)
			if (a->snap.error[p][0])
				model_seg(m, ROLE_WARN, " | %s off", pane_name(p));
	if (*log_last())
		model_seg(m, ROLE_STATUS, " | %s", log_last());
}

void paint(struct app *a)
{
	struct pane_model status, hints;
	int y = 1, rows;

	utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	erase();
	a->map.header_y = -1;
	a->map.nrows = 0;
	if (LINES < 1 || COLS < 1)
		return;
	draw_tabs(a);
	rows = LINES - 3; /* tabs, status, hints */
	if (a->header && a->have_snap && !a->help) {
		struct pane_model head;

		header_build(&a->snap.system, COLS, a->vopts.blocks, &head);
		/* only where the pane keeps room for its own lines and a few
		 * rows: on a short screen the pane's figures come first */
		if (head.nline && rows - head.nline >= a->model.nline + 4) {
			draw_lines(&head, y, head.nline, ROLE_NORMAL);
			y += head.nline;
			rows -= head.nline;
		}
		model_free(&head);
	}
	if (rows > 0) {
		if (!a->have_snap && !a->help) {
			put(y, 0, a->col || a->replay ? "collecting first interval..." : "loading the probes...",
			    COLS, ROLE_DIM);
		} else {
			int used = draw_lines(&a->model, y, rows, ROLE_NORMAL);
			static const char held[] = "following off: End";

			if (panes[a->pane]->follow_tail &&
			    !a->ps[a->pane].following && !a->help && used)
				put(y, COLS - (int)sizeof(held), held, sizeof(held) - 1, ROLE_WARN);

			draw_table(a, y + used, rows - used);
		}
	}
	menu_paint(&a->menu, y + 1, utf8);
	status_model(a, &status);
	keys_hints(&hints);
	if (LINES >= 3)
		draw_lines(&status, LINES - 2, 1, ROLE_STATUS);
	if (LINES >= 2)
		draw_lines(&hints, LINES - 1, 1, ROLE_HINT);
	model_free(&status);
	model_free(&hints);
	attrset(A_NORMAL);
	refresh();
}

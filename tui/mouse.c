#include <time.h>
#include "tui/keys.h"
#include "tui/mouse.h"

/* two presses on one line within this are a double click */
#define DOUBLE_MS 400

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000ll + t.tv_nsec / 1000000;
}

static int click_tab(struct app *a, int x)
{
	for (int p = 0, start = 0; p < NPANES; start = a->map.tab_end[p++])
		if (x >= start && x < a->map.tab_end[p])
			return keys_handle(a, '1' + p);
	return R_NONE;
}

static int click_header(struct app *a, int x)
{
	struct pane_state *ps = app_table_state(a);

	for (int c = 0; c < a->model.table.ncol && c < SCREEN_MAX_COLS; c++)
		if (a->map.col_w[c] && x >= a->map.col_x[c] && x <= a->map.col_x[c] + a->map.col_w[c]) {
			if (c == ps->sort_col)
				ps->reverse = !ps->reverse;
			else
				ps->sort_col = c;
			app_sort_chosen(a);
			return R_REBUILD;
		}
	return R_NONE;
}

static int click_row(struct app *a, int y)
{
	struct pane_state *ps = app_table_state(a);
	long long t = now_ms();
	bool twice = a->last_click.y == y && t - a->last_click.ms < DOUBLE_MS;
	int r;

	a->last_click.ms = twice ? 0 : t; /* a third click starts anew */
	a->last_click.y = y;
	r = keys_select(a, ps->scroll + (y - a->map.rows_y));
	return twice && !a->help ? r | keys_handle(a, '\n') : r;
}

int mouse_handle(struct app *a, const struct mouse_event *ev)
{
	int r = R_NONE;

	if (ev->button == 64 || ev->button == 65) { /* the wheel: three rows a notch */
		for (int i = 0; i < 3; i++)
			r |= keys_handle(a, ev->button == 64 ? KEY_UP : KEY_DOWN);
		return r;
	}
	if (!ev->press || ev->button != 0)
		return R_NONE;
	if (ev->y == 0)
		return click_tab(a, ev->x);
	if (ev->y == a->map.header_y)
		return click_header(a, ev->x);
	if (a->map.nrows && ev->y >= a->map.rows_y && ev->y < a->map.rows_y + a->map.nrows)
		return click_row(a, ev->y);
	return R_NONE;
}

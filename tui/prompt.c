/* The one-line prompt (p, c, /) on the status line: type, Backspace,
 * Ctrl-U clears, Enter accepts, Esc cancels. Search is incremental. */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include "tui/prompt.h"
#include "tui/log.h"

void prompt_open(struct app *a, enum prompt_kind kind, const char *initial)
{
	a->prompt = kind;
	snprintf(a->input, sizeof(a->input), "%s", initial);
	a->input_len = strlen(a->input);
}

static void search_update(struct app *a)
{
	struct pane_state *ps = app_table_state(a);
	int i;

	snprintf(a->search, sizeof(a->search), "%s", a->input);
	/* incremental: the current row counts as a match too */
	i = table_find(&a->model.table, ps->selected - 1, a->search, 1);
	if (i >= 0) {
		ps->selected = i;
		ps->selected_id = a->model.table.row[i].id;
	}
}

static int accept(struct app *a)
{
	char err[256];
	enum prompt_kind kind = a->prompt;

	a->prompt = PROMPT_NONE;
	switch (kind) {
	case PROMPT_PID:
		if (app_set_pids(a, a->input, err, sizeof(err)))
			log_msg("%s (filter unchanged)", err);
		return R_REBUILD;
	case PROMPT_CGROUP:
		if (app_set_cgroup(a, a->input, err, sizeof(err)))
			log_msg("%s (filter unchanged)", err);
		return R_REBUILD;
	case PROMPT_TIME: {
		int r = app_branch(a, a->input, err, (err[0] = '\0', sizeof(err)));

		if (err[0])
			log_msg("%s", err);
		return r;
	}
	case PROMPT_ROWS:
		snprintf(a->rows_matching, sizeof(a->rows_matching), "%s", a->input);
		return R_REBUILD;
	case PROMPT_SEARCH:
		if (app_flame_shown(a)) /* marks, not a row */
			return R_REBUILD;
		if (*a->search && table_find(&a->model.table, app_table_state(a)->selected - 1,
					     a->search, 1) < 0)
			log_msg("not found: %s", a->search);
		return R_REDRAW;
	default:
		return R_NONE;
	}
}

int prompt_key(struct app *a, int ch)
{
	switch (ch) {
	case 27: /* Esc */
		a->prompt = PROMPT_NONE;
		return R_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		return accept(a);
	case KEY_BACKSPACE:
	case 127:
	case 8:
		/* drop a whole UTF-8 sequence */
		while (a->input_len && (a->input[a->input_len - 1] & 0xc0) == 0x80)
			a->input_len--;
		if (a->input_len)
			a->input_len--;
		break;
	case 21: /* Ctrl-U */
		a->input_len = 0;
		break;
	default:
		if (ch < 32 || ch > 255 || a->input_len + 1 >= sizeof(a->input))
			return R_NONE;
		a->input[a->input_len++] = ch;
		break;
	}
	a->input[a->input_len] = '\0';
	if (a->prompt != PROMPT_SEARCH)
		return R_REDRAW;
	search_update(a);
	/* the flame graph marks matches as they are typed */
	return app_flame_shown(a) ? R_REBUILD : R_REDRAW;
}

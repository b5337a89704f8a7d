#include <curses.h>
#include <stdio.h>
#include <string.h>
#include "tui/app.h"
#include "tui/menu.h"
#include "tui/theme.h"

void menu_open(struct menu *m, const char *title, const char *const *items, int n, int choice,
	       int (*chosen)(struct app *a, int i))
{
	memset(m, 0, sizeof(*m));
	snprintf(m->title, sizeof(m->title), "%s", title);
	m->n = n < MENU_MAX ? n : MENU_MAX;
	for (int i = 0; i < m->n; i++)
		snprintf(m->items[i], sizeof(m->items[i]), "%s", items[i]);
	m->choice = choice >= 0 && choice < m->n ? choice : 0;
	m->chosen = chosen;
	m->open = m->n > 0;
}

int menu_key(struct app *a, struct menu *m, int ch)
{
	int i;

	switch (ch) {
	case 27: /* Esc */
	case 'q':
		m->open = false;
		return R_REDRAW;
	case KEY_UP:
		m->choice = (m->choice + m->n - 1) % m->n;
		return R_REDRAW;
	case KEY_DOWN:
		m->choice = (m->choice + 1) % m->n;
		return R_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		i = m->choice;
		break;
	default:
		if (ch < '1' || ch > '9' || ch - '1' >= m->n)
			return R_NONE;
		i = m->choice = ch - '1';
		break;
	}
	m->open = false;
	return m->chosen(a, i) | R_REDRAW;
}

void menu_paint(const struct menu *m, int y, bool utf8)
{
	const char *h = utf8 ? "─" : "-", *v = utf8 ? "│" : "|";
	const char *tl = utf8 ? "┌" : "+", *tr = utf8 ? "┐" : "+";
	const char *bl = utf8 ? "└" : "+", *br = utf8 ? "┘" : "+";
	static const char hint[] = " Enter or 1-9: choose, Esc: none";
	int w = MENU_ITEM_LEN - 4, x; /* fits an item and the hint */

	if ((int)sizeof(hint) + 1 > w)
		w = sizeof(hint) + 1;
	x = COLS - w - 1; /* at the right: the rows it is about stay in view */
	if (!m->open || x < 0 || LINES < y + m->n + 3)
		return;
	attrset(theme_attr(ROLE_TITLE));
	mvaddstr(y, x, tl);
	for (int i = 1; i < w - 1; i++)
		addstr(h);
	addstr(tr);
	mvaddnstr(y, x + 2, m->title, w - 4);
	for (int i = 0; i < m->n; i++) {
		char item[64];

		attrset(theme_attr(ROLE_TITLE));
		mvaddstr(y + 1 + i, x, v);
		if (i < 9)
			snprintf(item, sizeof(item), " %d %-*.*s", i + 1, w - 5, w - 5, m->items[i]);
		else
			snprintf(item, sizeof(item), "   %-*.*s", w - 5, w - 5, m->items[i]);
		attrset(theme_attr(i == m->choice ? ROLE_SELECTED : ROLE_NORMAL));
		addnstr(item, w - 2);
		attrset(theme_attr(ROLE_TITLE));
		mvaddstr(y + 1 + i, x + w - 1, v);
	}
	mvaddstr(y + 1 + m->n, x, v);
	attrset(theme_attr(ROLE_HINT));
	printw("%-*.*s", w - 2, w - 2, hint);
	attrset(theme_attr(ROLE_TITLE));
	mvaddstr(y + 1 + m->n, x + w - 1, v);
	mvaddstr(y + 2 + m->n, x, bl);
	for (int i = 1; i < w - 1; i++)
		addstr(h);
	addstr(br);
}

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "probes/procfs.h"
#include "tui/log.h"
#include "tui/sigmenu.h"
#include "tui/theme.h"

static const struct {
	int sig;
	const char *name, *what;
} sigs[] = {
	{ SIGTERM, "TERM", "ask it to end" },  { SIGKILL, "KILL", "end it now" },
	{ SIGINT, "INT", "interrupt (Ctrl-C)" }, { SIGHUP, "HUP", "hang up / reload" },
	{ SIGSTOP, "STOP", "stop it" },        { SIGCONT, "CONT", "let it go on" },
	{ SIGUSR1, "USR1", "user signal 1" },   { SIGUSR2, "USR2", "user signal 2" },
};
#define NSIGS ((int)(sizeof(sigs) / sizeof(sigs[0])))

int sigmenu_open(struct app *a)
{
	struct pane_state *ps = app_table_state(a);
	const struct table *t = &a->model.table;
	unsigned pid;

	if (a->replay || a->rewound) {
		log_msg("signals go to live processes: %s", a->replay ? "this is a replay"
								   : "space returns to live");
		return R_REDRAW;
	}
	if (a->help || !t->nrow || !(pid = t->row[ps->selected].pid)) {
		log_msg("no process selected to signal");
		return R_REDRAW;
	}
	memset(&a->sigmenu, 0, sizeof(a->sigmenu));
	a->sigmenu.open = true;
	a->sigmenu.pid = pid;
	if (procfs_comm(pid, a->sigmenu.comm, sizeof(a->sigmenu.comm))) {
		log_msg("pid %u has exited", pid);
		a->sigmenu.open = false;
	}
	return R_REDRAW;
}

/* Send it, unless the pid now names another program (it exited and the
 * number was reused since the menu opened). */
static void send(struct app *a)
{
	const char *name = sigs[a->sigmenu.choice].name;
	unsigned pid = a->sigmenu.pid;
	char now[16];

	if (procfs_comm(pid, now, sizeof(now))) {
		log_msg("SIG%s not sent: pid %u has exited", name, pid);
		return;
	}
	if (strcmp(now, a->sigmenu.comm)) {
		log_msg("SIG%s not sent: pid %u is now %s, not %s", name, pid, now, a->sigmenu.comm);
		return;
	}
	if (kill((pid_t)pid, sigs[a->sigmenu.choice].sig))
		log_msg("SIG%s to %u (%s) failed: %s", name, pid, now, strerror(errno));
	else
		log_msg("sent SIG%s to %u (%s)", name, pid, now);
}

int sigmenu_key(struct app *a, int ch)
{
	struct signal_menu *m = &a->sigmenu;

	if (m->confirm) {
		m->open = m->confirm = false;
		if (ch == 'y' || ch == 'Y')
			send(a);
		else
			log_msg("nothing sent");
		return R_REDRAW;
	}
	switch (ch) {
	case 27: /* Esc */
	case 'q':
		m->open = false;
		return R_REDRAW;
	case KEY_UP:
		m->choice = (m->choice + NSIGS - 1) % NSIGS;
		return R_REDRAW;
	case KEY_DOWN:
		m->choice = (m->choice + 1) % NSIGS;
		return R_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		m->confirm = true;
		return R_REDRAW;
	default:
		if (ch >= '1' && ch < '1' + NSIGS) {
			m->choice = ch - '1';
			m->confirm = true;
			return R_REDRAW;
		}
		return R_NONE;
	}
}

const char *sigmenu_question(const struct app *a, char *buf, size_t len)
{
	if (!a->sigmenu.open || !a->sigmenu.confirm)
		return NULL;
	snprintf(buf, len, " send SIG%s to %u (%s)? y/N", sigs[a->sigmenu.choice].name,
		 a->sigmenu.pid, a->sigmenu.comm);
	return buf;
}

void sigmenu_paint(const struct app *a, int y, bool utf8)
{
	const char *h = utf8 ? "─" : "-", *v = utf8 ? "│" : "|";
	const char *tl = utf8 ? "┌" : "+", *tr = utf8 ? "┐" : "+";
	const char *bl = utf8 ? "└" : "+", *br = utf8 ? "┘" : "+";
	char title[64];
	int w = 34, x = COLS - w - 1; /* at the right: the row's pid and command stay in view */

	if (!a->sigmenu.open || x < 0 || LINES < y + NSIGS + 4)
		return;
	snprintf(title, sizeof(title), " signal %u (%s) ", a->sigmenu.pid, a->sigmenu.comm);
	attrset(theme_attr(ROLE_TITLE));
	mvaddstr(y, x, tl);
	for (int i = 1; i < w - 1; i++)
		addstr(h);
	addstr(tr);
	mvaddnstr(y, x + 2, title, w - 4);
	for (int i = 0; i < NSIGS; i++) {
		char item[64];

		attrset(theme_attr(ROLE_TITLE));
		mvaddstr(y + 1 + i, x, v);
		snprintf(item, sizeof(item), " %d %-5s %-22s", i + 1, sigs[i].name, sigs[i].what);
		attrset(theme_attr(i == a->sigmenu.choice ? ROLE_SELECTED : ROLE_NORMAL));
		addnstr(item, w - 2);
		attrset(theme_attr(ROLE_TITLE));
		mvaddstr(y + 1 + i, x + w - 1, v);
	}
	mvaddstr(y + 1 + NSIGS, x, v);
	attrset(theme_attr(ROLE_HINT));
	addnstr(" Enter or 1-8: choose, Esc: none", w - 2);
	attrset(theme_attr(ROLE_TITLE));
	mvaddstr(y + 1 + NSIGS, x + w - 1, v);
	mvaddstr(y + 2 + NSIGS, x, bl);
	for (int i = 1; i < w - 1; i++)
		addstr(h);
	addstr(br);
}

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "probes/procfs.h"
#include "tui/log.h"
#include "tui/menu.h"
#include "tui/sigmenu.h"

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

static int sig_chosen(struct app *a, int i)
{
	a->sigmenu.choice = i;
	a->sigmenu.confirm = true;
	return R_REDRAW;
}

int sigmenu_open(struct app *a)
{
	struct pane_state *ps = app_table_state(a);
	const struct table *t = &a->model.table;
	char items[NSIGS][MENU_ITEM_LEN], title[64];
	const char *item[NSIGS];
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
	a->sigmenu.pid = pid;
	if (procfs_comm(pid, a->sigmenu.comm, sizeof(a->sigmenu.comm))) {
		log_msg("pid %u has exited", pid);
		return R_REDRAW;
	}
	for (int i = 0; i < NSIGS; i++) {
		snprintf(items[i], sizeof(items[i]), "%-5s %s", sigs[i].name, sigs[i].what);
		item[i] = items[i];
	}
	snprintf(title, sizeof(title), " signal %u (%s) ", pid, a->sigmenu.comm);
	menu_open(&a->menu, title, item, NSIGS, 0, sig_chosen);
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
	a->sigmenu.confirm = false;
	if (ch == 'y' || ch == 'Y')
		send(a);
	else
		log_msg("nothing sent");
	return R_REDRAW;
}

const char *sigmenu_question(const struct app *a, char *buf, size_t len)
{
	if (!a->sigmenu.confirm)
		return NULL;
	snprintf(buf, len, " send SIG%s to %u (%s)? y/N", sigs[a->sigmenu.choice].name,
		 a->sigmenu.pid, a->sigmenu.comm);
	return buf;
}

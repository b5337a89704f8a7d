/* The key table: every key, its action and its help text in one place. The
 * help screen and the hint bar are generated from it. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tui/keys.h"
#include "tui/log.h"
#include "tui/prompt.h"
#include "tui/replay.h"
#include "tui/rowfilter.h"
#include "tui/sigmenu.h"
#include "views/groups.h"
#include "probes/cgroup.h"
#include "probes/collector.h"
#include "probes/procfs.h"
#include "tui/theme.h"
#include "views/view.h"

#define CTRL(c) ((c) & 0x1f)

static struct pane_state *cur(struct app *a)
{
	return app_table_state(a);
}

static int go_pane(struct app *a, int p)
{
	a->pane = (p + NPANES) % NPANES;
	a->help = false;
	app_view_changed(a);
	return R_REBUILD;
}

static int act_pane(struct app *a, int ch)
{
	return go_pane(a, ch - '1');
}

static int act_next_pane(struct app *a, int ch)
{
	return go_pane(a, a->pane + (ch == KEY_BTAB ? -1 : 1));
}

/* In a stream (follow_tail), the selection on its last row follows the
 * newest rows; anywhere else it holds its row while new ones arrive. */
static int move_sel(struct app *a, int delta)
{
	struct pane_state *ps = cur(a);
	int n = a->model.table.nrow;
	bool stream = !a->help && panes[a->pane]->follow_tail;

	if (!n)
		return R_NONE;
	ps->selected += delta;
	if (ps->selected < 0)
		ps->selected = 0;
	if (ps->selected >= n)
		ps->selected = n - 1;
	ps->selected_id = a->model.table.row[ps->selected].id;
	ps->following = stream && ps->selected == n - 1;
	return R_REDRAW;
}

int keys_select(struct app *a, int i)
{
	return move_sel(a, i - cur(a)->selected);
}

static int flame_key(struct app *a, enum flame_move how)
{
	return stack_flame_move(&a->snap.stack, &a->vopts, how) ? R_NONE : R_REBUILD;
}

static int act_move(struct app *a, int ch)
{
	int page = a->page_rows > 1 ? a->page_rows - 1 : 1;

	if (app_flame_shown(a) && (ch == KEY_UP || ch == KEY_DOWN))
		return flame_key(a, ch == KEY_UP ? FLAME_UP : FLAME_DOWN);
	switch (ch) {
	case KEY_UP: return move_sel(a, -1);
	case KEY_DOWN: return move_sel(a, 1);
	case KEY_PPAGE: return move_sel(a, -page);
	case KEY_NPAGE: return move_sel(a, page);
	case KEY_HOME: return move_sel(a, -a->model.table.nrow);
	default: return move_sel(a, a->model.table.nrow);
	}
}

/* Right brings in columns that do not fit; Left goes back. */
static int act_hscroll(struct app *a, int ch)
{
	struct pane_state *ps = cur(a);

	if (app_flame_shown(a))
		return flame_key(a, ch == KEY_LEFT ? FLAME_LEFT : FLAME_RIGHT);
	if (ch == KEY_RIGHT && a->cols_right)
		ps->hscroll++;
	else if (ch == KEY_LEFT && ps->hscroll)
		ps->hscroll--;
	else
		return R_NONE;
	return R_REDRAW;
}

static int act_enter(struct app *a, int ch)
{
	(void)ch;
	if (app_flame_shown(a))
		return flame_key(a, FLAME_ZOOM);
	return app_drill_in(a);
}

/* In a zoomed flame graph, out of the zoom first. */
static int act_back(struct app *a, int ch)
{
	(void)ch;
	if (app_flame_shown(a) && a->vopts.flame_zoom[0])
		return flame_key(a, FLAME_UNZOOM);
	return app_drill_out(a);
}

static int act_stacks(struct app *a, int ch)
{
	(void)ch;
	return app_drill_stacks(a);
}

static int act_group(struct app *a, int ch)
{
	static const char *const what[] = { "off", "by cgroup", "by slice" };

	(void)ch;
	if (a->pane != PANE_CPU && a->pane != PANE_RUNQ && a->pane != PANE_SYS && a->pane != PANE_TCP) {
		log_msg("g groups the cpu, runq, sys and tcp panes");
		return R_REDRAW;
	}
	a->vopts.group = (a->vopts.group + 1) % GROUP_LEVELS;
	log_msg("groups: %s", what[a->vopts.group]);
	return R_REBUILD;
}

/* The selected process's cgroup v2 becomes the cgroup filter. */
static int act_enter_cgroup(struct app *a, int ch)
{
	struct pane_state *ps = cur(a);
	char err[NOTE_LEN], rel[4096];
	unsigned pid;

	(void)ch;
	if (!a->model.table.nrow || !(pid = a->model.table.row[ps->selected].pid))
		return R_NONE;
	if (a->replay) { /* the process ran where it was recorded: its row knows */
		const char *cg = snapshot_cgroup_of(&a->snap, pid);

		if (!cg) {
			log_msg("no cgroup recorded for pid %u (it had no cpu row then)", pid);
			return R_REDRAW;
		}
		snprintf(rel, sizeof(rel), "%s", cg);
	} else if (!cgroup_mount() || procfs_cgroup(pid, rel, sizeof(rel))) {
		log_msg("no cgroup v2 known for pid %u (it may have exited)", pid);
		return R_REDRAW;
	}
	if (app_set_cgroup_below(a, rel, err, sizeof(err)))
		log_msg("%s", err);
	return R_REBUILD;
}

static int act_prompt_pid(struct app *a, int ch)
{
	char buf[256] = "";
	size_t len = 0;

	(void)ch;
	for (size_t i = 0; i < a->npids && len + 12 < sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%u", i ? "," : "", a->pids[i]);
	prompt_open(a, PROMPT_PID, buf);
	return R_REDRAW;
}

static int act_prompt_cgroup(struct app *a, int ch)
{
	(void)ch;
	prompt_open(a, PROMPT_CGROUP, a->cgroup);
	return R_REDRAW;
}

static int act_clear(struct app *a, int ch)
{
	char err[NOTE_LEN];

	(void)ch;
	app_set_pids(a, "", err, sizeof(err));
	app_set_cgroup(a, "", err, sizeof(err));
	a->rows_matching[0] = '\0';
	a->ndrill = 0; /* nothing to go back to */
	log_msg("filters cleared");
	return R_REBUILD;
}

static int act_sort(struct app *a, int ch)
{
	struct pane_state *ps = cur(a);
	int n = a->model.table.ncol;

	if (!n)
		return R_NONE;
	if (ch == 'r')
		ps->reverse = !ps->reverse;
	else
		ps->sort_col = (ps->sort_col + (ch == '<' ? n - 1 : 1)) % n;
	app_sort_chosen(a);
	return R_REBUILD;
}

static int sort_chosen(struct app *a, int i)
{
	app_table_state(a)->sort_col = i;
	app_sort_chosen(a);
	return R_REBUILD;
}

static int act_sort_menu(struct app *a, int ch)
{
	const struct table *t = &a->model.table;
	const char *names[MENU_MAX];
	int n = t->ncol < MENU_MAX ? t->ncol : MENU_MAX;

	(void)ch;
	if (a->help || !n)
		return R_NONE;
	for (int c = 0; c < n; c++)
		names[c] = t->col[c].name;
	menu_open(&a->menu, " sort by ", names, n, cur(a)->sort_col, sort_chosen);
	return R_REDRAW;
}

static int act_search(struct app *a, int ch)
{
	(void)ch;
	prompt_open(a, PROMPT_SEARCH, "");
	return R_REDRAW;
}

static int act_prompt_rows(struct app *a, int ch)
{
	(void)ch;
	prompt_open(a, PROMPT_ROWS, a->rows_matching);
	return R_REDRAW;
}

static int act_search_again(struct app *a, int ch)
{
	struct pane_state *ps = cur(a);
	int i = table_find(&a->model.table, ps->selected, a->search, ch == 'N' ? -1 : 1);

	if (i < 0) {
		log_msg("not found: %s", a->search);
		return R_REDRAW;
	}
	return move_sel(a, i - ps->selected);
}

static int act_pause(struct app *a, int ch)
{
	(void)ch;
	if (a->replay) { /* a replay is always still: space plays it */
		a->playing = !a->playing;
		log_msg(a->playing ? "replay: playing at x%g" : "replay: stopped", a->speed);
		return R_TIMER | R_REDRAW;
	}
	if (a->rewound)
		return app_live(a);
	a->paused = !a->paused;
	log_msg(a->paused ? "paused: data frozen, collection continues"
				: "resumed");
	return R_REBUILD;
}

static int act_speed(struct app *a, int ch)
{
	static const double steps[] = { 0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 30, 60, 300, 900, 3600 };
	int n = sizeof(steps) / sizeof(steps[0]), i;

	if (a->replay) { /* + plays faster, - slower */
		a->speed = ch == '+' ? fmin(a->speed * 2, 64) : fmax(a->speed / 2, 1.0 / 16);
		log_msg("replay: x%g", a->speed);
		return R_TIMER | R_REDRAW;
	}
	if (ch == '+') { /* slower */
		for (i = 0; i < n - 1 && steps[i] <= a->delay + 1e-9; i++)
			;
	} else {
		for (i = n - 1; i > 0 && steps[i] >= a->delay - 1e-9; i--)
			;
	}
	a->delay = steps[i];
	log_msg("refresh every %gs", a->delay);
	return R_TIMER | R_REDRAW;
}

/* [ ] one frame back / forward, { } one minute: through a replay, or
 * back through the live history; forward past its newest frame is live
 * again. */
static int act_time(struct app *a, int ch)
{
	struct replay *t = app_timeline(a);
	long target, newest;

	if (!t) {
		log_msg("no history to rewind: --history is 0");
		return R_REDRAW;
	}
	newest = (long)replay_frames(t) - 1;
	if (!a->replay && !a->rewound) {
		if (ch == ']' || ch == '}' || newest < 1)
			return R_NONE; /* live already, or nothing kept yet */
		a->rewound = true;
		a->frame = newest; /* the refresh on screen */
	}
	a->playing = false;
	switch (ch) {
	case '[': target = (long)a->frame - 1; break;
	case ']': target = (long)a->frame + 1; break;
	case '{': target = app_replay_frame_at(a, -60); break;
	default: target = app_replay_frame_at(a, 60); break;
	}
	if (!a->replay && target > newest)
		return app_live(a);
	return app_replay_show(a, target);
}

static int act_branch(struct app *a, int ch)
{
	(void)ch;
	prompt_open(a, PROMPT_TIME, "");
	return R_REDRAW;
}

static int act_record(struct app *a, int ch)
{
	(void)ch;
	app_toggle_record(a);
	return R_REDRAW;
}

static int act_snapshot(struct app *a, int ch)
{
	(void)ch;
	app_snapshot(a);
	return R_REDRAW;
}

static int act_theme(struct app *a, int ch)
{
	(void)ch;
	a->theme = theme_next();
	log_msg("theme: %s", a->theme);
	return R_REDRAW;
}

static int act_signal(struct app *a, int ch)
{
	(void)ch;
	return sigmenu_open(a);
}

static int act_tree(struct app *a, int ch)
{
	(void)ch;
	a->vopts.tree = !a->vopts.tree;
	return R_REBUILD;
}

static int act_cmdline(struct app *a, int ch)
{
	(void)ch;
	a->vopts.cmdline = !a->vopts.cmdline;
	return R_REBUILD;
}

static int act_header(struct app *a, int ch)
{
	(void)ch;
	a->header = !a->header;
	return R_REDRAW;
}

/* P: the sys and tcp panes' processes, or their syscalls / connections. */
static int act_procs(struct app *a, int ch)
{
	struct pane_state *ps = &a->ps[a->pane];

	(void)ch;
	if (a->pane == PANE_SYS) {
		a->vopts.sys_procs = !a->vopts.sys_procs;
		ps->sort_col = 2; /* calls/s in either table */
	} else if (a->pane == PANE_TCP) {
		a->vopts.tcp_procs = !a->vopts.tcp_procs;
		ps->sort_col = 3; /* TX/s in either table */
	} else {
		log_msg("P lists processes in the sys and tcp panes");
		return R_REDRAW;
	}
	ps->reverse = false;
	/* row ids differ between the tables: start at the top */
	ps->selected = 0;
	ps->selected_id = 0;
	return R_REBUILD;
}

/* H: threads in the cpu and runq panes; live, the cpu probe reads them
 * only while this is on. */
static int act_threads(struct app *a, int ch)
{
	char why[NOTE_LEN];

	(void)ch;
	if (a->pane != PANE_CPU && a->pane != PANE_RUNQ) {
		log_msg("H lists threads in the cpu and runq panes");
		return R_REDRAW;
	}
	if (!a->replay && !a->opt.threads &&
	    collector_set_threads(a->col, !a->vopts.threads, why, sizeof(why))) {
		log_msg("%s", why);
		return R_REDRAW;
	}
	a->vopts.threads = !a->vopts.threads;
	a->ps[a->pane].selected = 0;
	a->ps[a->pane].selected_id = 0;
	a->ps[a->pane].sort_col = 3; /* CPU% or waits */
	a->ps[a->pane].reverse = false;
	return R_REBUILD;
}

/* w: the runq pane's "who waited" or "who made them wait". */
static int act_runq_table(struct app *a, int ch)
{
	struct pane_state *ps = &a->ps[PANE_RUNQ];

	(void)ch;
	if (a->pane != PANE_RUNQ) {
		log_msg("w switches the runq pane between who waited and who made them wait");
		return R_REDRAW;
	}
	a->vopts.runq_table = a->vopts.runq_table == RUNQ_WAITED ? RUNQ_CULPRITS : RUNQ_WAITED;
	/* by delay caused, or slow waits then p99: each table's own order */
	ps->sort_col = a->vopts.runq_table == RUNQ_WAITED ? panes[PANE_RUNQ]->default_sort : 2;
	ps->reverse = false;
	ps->selected = 0;
	ps->selected_id = 0;
	return R_REBUILD;
}

static int act_tcp_listeners(struct app *a, int ch)
{
	(void)ch;
	a->vopts.tcp_listeners = !a->vopts.tcp_listeners;
	log_msg("tcp: listening sockets %s", a->vopts.tcp_listeners ? "shown" : "hidden");
	return R_REBUILD;
}

static int act_tcp_show(struct app *a, int ch)
{
	(void)ch;
	a->vopts.tcp_show = (a->vopts.tcp_show + 1) % TCP_SHOW_N;
	log_msg("tcp: showing %s connections", tcp_show_name(a->vopts.tcp_show));
	return R_REBUILD;
}

static int act_stack_flame(struct app *a, int ch)
{
	(void)ch;
	if (a->pane != PANE_STACK) {
		log_msg("F draws the stack pane as a flame graph");
		return R_REDRAW;
	}
	a->vopts.stack_flame = !a->vopts.stack_flame;
	return R_REBUILD;
}

/* o: the stack pane on-CPU / off-CPU; the probe switches, so live only. */
static int act_stack_mode(struct app *a, int ch)
{
	char why[NOTE_LEN];
	bool off = !a->snap.stack.offcpu;

	(void)ch;
	if (a->pane != PANE_STACK) {
		log_msg("o switches the stack pane between on-CPU and off-CPU");
		return R_REDRAW;
	}
	if (a->replay) {
		log_msg("stack: a replay shows the mode it was recorded in");
		return R_REDRAW;
	}
	if (collector_set_mode(a->col, PANE_STACK, off ? STACK_OFFCPU : STACK_ONCPU, why, sizeof(why))) {
		log_msg("%s", why);
		return R_REDRAW;
	}
	a->snap.stack.offcpu = off; /* until the next refresh says so itself */
	log_msg("stack: %s from the next refresh", off ? "off-CPU (time blocked)" : "on-CPU (samples)");
	return R_REBUILD;
}

static int act_help(struct app *a, int ch)
{
	(void)ch;
	a->help = !a->help;
	app_view_changed(a); /* help shows ebtop's own cost: read it while open */
	return R_REBUILD;
}

static int act_quit(struct app *a, int ch)
{
	(void)ch;
	if (a->help) { /* q leaves help first, like less */
		a->help = false;
		app_view_changed(a);
		return R_REBUILD;
	}
	a->quit = true;
	return R_NONE;
}

struct binding {
	int keys[6];             /* 0-terminated */
	const char *label;       /* how help shows the keys */
	const char *hint;        /* word for the hint bar, NULL: not there */
	const char *help;
	int (*action)(struct app *a, int ch);
};

static const struct binding table[] = {
	/* the digits 1..NPANES, label and help made from the pane list */
	{ { 0 }, NULL, NULL, NULL, act_pane },
	{ { '\t', KEY_BTAB }, "Tab S-Tab", NULL, "next / previous pane", act_next_pane },
	{ { KEY_UP, KEY_DOWN, KEY_PPAGE, KEY_NPAGE, KEY_HOME, KEY_END }, "arrows PgUp PgDn Home End",
	  NULL, "move the selection / scroll; End follows a stream", act_move },
	{ { KEY_LEFT, KEY_RIGHT }, "Left Right", NULL,
	  "scroll the table sideways when columns do not fit; flame graph: the next block", act_hscroll },
	{ { '\n', '\r', KEY_ENTER }, "Enter", NULL,
	  "into the selected group (its cgroup) or process (its pid); flame graph: zoom in", act_enter },
	{ { KEY_BACKSPACE, 127, 8 }, "Backspace", NULL,
	  "back out of the last Enter: filter, grouping, sort, selection, zoom", act_back },
	{ { 'S' }, "S", NULL, "the stacks of the selected process or group (the stack pane, filtered)",
	  act_stacks },
	{ { 'g' }, "g", NULL, "rows by cgroup; again: by slice; again: processes", act_group },
	{ { 'C' }, "C", NULL, "filter to the selected process's cgroup", act_enter_cgroup },
	{ { 'p' }, "p", "Pid", "PID filter prompt (comma list; empty clears)", act_prompt_pid },
	{ { 'c' }, "c", "Cgroup", "cgroup filter prompt (empty clears)", act_prompt_cgroup },
	{ { 'x' }, "x", "Clear", "clear all filters", act_clear },
	{ { '<', '>', 'r' }, "< > r", "Sort", "sort by previous / next column; reverse", act_sort },
	{ { KEY_F(6) }, "F6", NULL, "sort menu: choose the column", act_sort_menu },
	{ { '/', KEY_F(3) }, "/ F3", "Search", "search rows of this pane; flame graph: mark frames", act_search },
	{ { '\\', KEY_F(4) }, "\\ F4", NULL, "show only rows matching a text (empty: all)", act_prompt_rows },
	{ { 'n', 'N' }, "n N", NULL, "next / previous search match", act_search_again },
	{ { ' ' }, "space", "Pause", "pause: data freezes and stays browsable; rewound: live; replay: play",
	  act_pause },
	{ { '+', '-' }, "+ -", NULL, "slower / faster refresh; replay: faster / slower", act_speed },
	{ { '[', ']', '{', '}' }, "[ ] { }", NULL,
	  "rewind / replay: a refresh, a minute back / forward; past the newest: live", act_time },
	{ { 'b' }, "b", NULL, "rewind / replay: go to a time (HH:MM[:SS], -90s, -5m)", act_branch },
	{ { 'R' }, "R", NULL, "record the live view to a new file / stop", act_record },
	{ { 's' }, "s", "Snap", "snapshot all panes to JSON", act_snapshot },
	{ { 't' }, "t", "Theme", "next theme", act_theme },
	{ { KEY_F(5), 'T' }, "F5 T", NULL, "cpu: processes as a tree, each under its parent / a list", act_tree },
	{ { 'a' }, "a", NULL, "cpu: COMMAND as the full command line (arguments) / the name", act_cmdline },
	{ { 'm' }, "m", NULL, "header meters (CPUs, load, memory, pressure) on / off", act_header },
	{ { 'k', KEY_F(9) }, "k F9", NULL, "send a signal to the selected process (asks first)", act_signal },
	{ { 'P' }, "P", NULL, "sys, tcp: list processes / syscalls or connections (Enter on one: its own)",
	  act_procs },
	{ { 'H' }, "H", NULL, "cpu, runq: threads / processes", act_threads },
	{ { 'w' }, "w", NULL, "runq: who waited / who made them wait (Enter: who delayed one, whom one delayed)",
	  act_runq_table },
	{ { 'l' }, "l", NULL, "tcp: show / hide listening sockets", act_tcp_listeners },
	{ { 'f' }, "f", NULL, "tcp: list all, live, established or closed connections", act_tcp_show },
	{ { 'F' }, "F", NULL, "stack: a flame graph / the table of stacks", act_stack_flame },
	{ { 'o' }, "o", NULL, "stack: on-CPU samples / off-CPU time blocked", act_stack_mode },
	{ { '?', 'h', KEY_F(1) }, "? h F1", "Help", "this help", act_help },
	{ { 'q', KEY_F(10), CTRL('c') }, "q F10 C-c", "Quit", "quit", act_quit },
};
#define NBINDINGS (int)(sizeof(table) / sizeof(table[0]))

int keys_handle(struct app *a, int ch)
{
	if (ch >= '1' && ch < '1' + NPANES)
		return act_pane(a, ch);
	for (int i = 0; i < NBINDINGS; i++)
		for (int k = 0; k < 6 && table[i].keys[k]; k++)
			if (table[i].keys[k] == ch)
				return table[i].action(a, ch);
	return R_NONE;
}

/* Help is a table, so on a small terminal it scrolls like any pane. */
void keys_help(struct pane_model *m)
{
	static const struct column cols[] = {
		{ "KEY", 26, ALIGN_LEFT, false, 0 },
		{ "ACTION", 10, ALIGN_LEFT, false, 0 },
	};

	model_init(m, cols, 2, 1);
	model_line(m);
	model_seg(m, ROLE_TITLE, "ebtop %s keys", EBTOP_VERSION);
	model_seg(m, ROLE_DIM, "  (? or q leaves help; Up/Down scroll)");
	for (int i = 0; i < NBINDINGS; i++) {
		char label[16], names[NPANES * 16];

		table_row(&m->table, 0);
		m->table.row[m->table.nrow - 1].id = i + 1;
		if (table[i].label) {
			table_cell(&m->table, 0, "%s", table[i].label);
			table_cell(&m->table, 0, "%s", table[i].help);
			continue;
		}
		snprintf(label, sizeof(label), "1-%d", NPANES);
		pane_list(names, sizeof(names), " ", " ");
		table_cell(&m->table, 0, "%s", label);
		table_cell(&m->table, 0, "switch pane: %s", names);
	}
}

void keys_hints(struct pane_model *m)
{
	model_init(m, NULL, 0, -1);
	model_line(m);
	for (int i = 0; i < NBINDINGS; i++) {
		const char *k = table[i].label;

		if (!table[i].hint || !k)
			continue;
		/* first key of the label: "? h F1" -> "?" */
		model_seg(m, ROLE_HINT_KEY, "%.*s", (int)strcspn(k, " "), k);
		model_seg(m, ROLE_HINT, "%s ", table[i].hint);
	}
}

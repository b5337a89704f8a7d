/* App state changes shared by keys and prompts: rebuild the model, set
 * filters, write snapshots, post status messages. */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "tui/app.h"
#include "probes/cgroup.h"
#include "tui/log.h"
#include "tui/recorder.h"
#include "tui/replay.h"
#include "tui/rowfilter.h"
#include "views/groups.h"
#include "tui/settings.h"
#include "tui/term.h"
#include "tui/snapfile.h"
#include "views/view.h"

void app_rebuild(struct app *a)
{
	struct pane_state *ps = &a->ps[a->pane];
	struct table *t;

	model_free(&a->model);
	a->vopts.width = a->interactive ? COLS : 0;
	a->vopts.height = a->interactive ? LINES - 3 : 0; /* tabs, status, hints */
	a->vopts.blocks = a->interactive && term_blocks();
	if (!a->have_snap) {
		model_init(&a->model, NULL, 0, -1);
		return;
	}
	pane_build(a->pane, &a->snap, &a->vopts, &a->model);
	t = &a->model.table;
	table_keep_matching(t, a->rows_matching);
	for (int c = 0; ps->sort_pending && c < t->ncol; c++)
		if (!strcmp(t->col[c].name, ps->sort_name)) {
			ps->sort_col = c;
			ps->sort_pending = false;
		}
	if (ps->sort_col >= t->ncol)
		ps->sort_col = 0;
	table_sort(t, ps->sort_col, ps->reverse);
	if (ps->following && t->nrow) {
		ps->selected = t->nrow - 1;
		ps->selected_id = t->row[ps->selected].id;
		return;
	}
	/* the selection follows its row (process, event) across refreshes */
	for (int i = 0; ps->selected_id && i < t->nrow; i++)
		if (t->row[i].id == ps->selected_id) {
			ps->selected = i;
			return;
		}
	if (ps->selected >= t->nrow)
		ps->selected = t->nrow ? t->nrow - 1 : 0;
	ps->selected_id = t->nrow ? t->row[ps->selected].id : 0;
}

int app_set_pids(struct app *a, const char *text, char *err, size_t errlen)
{
	uint32_t pids[MAX_FILTER_PIDS];
	size_t n = 0;
	int e;

	if (a->replay) {
		if (*text && options_parse_pid_list(text, pids, MAX_FILTER_PIDS, &n, err, errlen))
			return -EINVAL;
		memcpy(a->pids, pids, n * sizeof(*pids));
		a->npids = n;
		app_replay_show(a, (long)a->frame);
		return 0;
	}
	if (*text && options_parse_pids(text, pids, MAX_FILTER_PIDS, &n, err, errlen))
		return -EINVAL;
	if (collector_filter_error(a->col)) {
		snprintf(err, errlen, "filters unavailable: %s", collector_filter_error(a->col));
		return -ENOTSUP;
	}
	e = collector_set_pids(a->col, pids, n);
	if (e) {
		snprintf(err, errlen, "cannot set pid filter: %s", strerror(-e));
		return e;
	}
	memcpy(a->pids, pids, n * sizeof(*pids));
	a->npids = n;
	a->have_snap = false; /* rates restart under the new filter */
	return 0;
}

int app_set_cgroup(struct app *a, const char *text, char *err, size_t errlen)
{
	uint64_t id = 0;
	int e;

	if (a->replay) { /* a path as the recorded rows name it; nothing to resolve here */
		if (*text)
			rowfilter_cgroup(text, a->cgroup, sizeof(a->cgroup));
		else
			a->cgroup[0] = '\0';
		app_replay_show(a, (long)a->frame);
		return 0;
	}
	if (*text && (e = cgroup_resolve(text, &id, err, errlen)))
		return e;
	if (collector_filter_error(a->col)) {
		snprintf(err, errlen, "filters unavailable: %s", collector_filter_error(a->col));
		return -ENOTSUP;
	}
	e = collector_set_cgroup(a->col, id);
	if (e) {
		snprintf(err, errlen, "cannot set cgroup filter: %s", strerror(-e));
		return e;
	}
	snprintf(a->cgroup, sizeof(a->cgroup), "%s", text);
	a->have_snap = false;
	return 0;
}

void app_sort_chosen(struct app *a)
{
	struct pane_state *ps = app_table_state(a);
	const struct table *t = &a->model.table;

	if (a->help || ps->sort_col < 0 || ps->sort_col >= t->ncol)
		return;
	snprintf(ps->sort_name, sizeof(ps->sort_name), "%s", t->col[ps->sort_col].name);
	ps->sort_pending = false;
}

char *app_settings_text(const struct app *a)
{
	struct settings s;

	settings_init(&s);
	s.pane = a->pane;
	snprintf(s.theme, sizeof(s.theme), "%s", a->theme ? a->theme : "default");
	s.delay = a->delay;
	s.header = a->header;
	s.mouse = !a->opt.no_mouse;
	s.cmdline = a->vopts.cmdline;
	s.tree = a->vopts.tree;
	for (int p = 0; p < NPANES; p++)
		if (a->ps[p].sort_name[0]) {
			snprintf(s.sort[p], sizeof(s.sort[p]), "%s", a->ps[p].sort_name);
			s.reverse[p] = a->ps[p].reverse;
		}
	return settings_format(&s);
}

int app_set_cgroup_below(struct app *a, const char *rel, char *err, size_t errlen)
{
	const char *mnt = cgroup_mount();
	char path[4200];

	if (a->replay)
		return app_set_cgroup(a, rel, err, errlen);
	if (!mnt) {
		snprintf(err, errlen, "no cgroup v2 mount to filter by");
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "%s%s", mnt, strcmp(rel, "/") ? rel : "");
	return app_set_cgroup(a, path, err, errlen);
}

void app_json_meta(const struct app *a, struct json_meta *m)
{
	bool recorded = a->replay && !app_replay_filtered(a);

	m->view = pane_name(a->pane);
	m->pids = recorded ? a->recorded.pids : a->pids;
	m->npids = recorded ? a->recorded.npids : a->npids;
	m->cgroup = recorded ? a->recorded.cgroup : a->cgroup;
	if (!*m->cgroup)
		m->cgroup = NULL;
	m->history = false;
}

static int column_named(const struct table *t, const char *name)
{
	for (int c = 0; c < t->ncol; c++)
		if (!strcmp(t->col[c].name, name))
			return c;
	return -1;
}

/* What Enter or S leaves, for Backspace to bring back. */
static void drill_save(const struct app *a, struct drill *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->cgroup, sizeof(d->cgroup), "%s", a->cgroup);
	memcpy(d->pids, a->pids, a->npids * sizeof(*a->pids));
	d->npids = a->npids;
	d->group = a->vopts.group;
	d->sys_procs = a->vopts.sys_procs;
	d->tcp_procs = a->vopts.tcp_procs;
	d->runq_table = a->vopts.runq_table;
	d->runq_culprit = a->vopts.runq_culprit;
	d->pane = a->pane;
	d->ps = a->ps[a->pane];
}

static void drill_push(struct app *a, const struct drill *d)
{
	if (a->ndrill == DRILL_MAX) { /* the oldest goes: the way back is that long */
		memmove(a->drill, a->drill + 1, (DRILL_MAX - 1) * sizeof(*a->drill));
		a->ndrill--;
	}
	a->drill[a->ndrill++] = *d;
}

/* The filter to a row: a group's cgroup (grouping off, as its processes
 * show), or a process's pid; d's label says which. 0, or R_NONE (nothing
 * to go into) or R_REDRAW (why logged). */
static int filter_to_row(struct app *a, const struct row *row, struct drill *d)
{
	char err[NOTE_LEN], text[32];
	const char *path;
	int col;

	if (a->vopts.group) {
		if ((col = column_named(&a->model.table, GROUP_PATH_COLUMN)) < 0 || !(path = row->cell[col]))
			return R_NONE;
		if (!strcmp(path, "?")) {
			log_msg("the cgroup of these is not known");
			return R_REDRAW;
		}
		if (app_set_cgroup_below(a, path, err, sizeof(err))) {
			log_msg("%s", err);
			return R_REDRAW;
		}
		snprintf(d->label, sizeof(d->label), "%s", row->cell[0] ? row->cell[0] : path);
		a->vopts.group = GROUP_OFF;
		return 0;
	}
	if (!row->pid)
		return R_NONE;
	snprintf(text, sizeof(text), "%u", row->pid);
	if (app_set_pids(a, text, err, sizeof(err))) {
		log_msg("%s", err);
		return R_REDRAW;
	}
	snprintf(d->label, sizeof(d->label), "pid %u", row->pid);
	return 0;
}

int app_drill_in(struct app *a)
{
	struct pane_state *ps = &a->ps[a->pane];
	const struct table *t = &a->model.table;
	struct drill d;
	const struct row *row;
	int r;

	if (a->help || !t->nrow)
		return R_NONE;
	row = &t->row[ps->selected];
	drill_save(a, &d);
	if (!a->vopts.group && a->pane == PANE_RUNQ && a->vopts.runq_table != RUNQ_WAITED) {
		/* a culprit: whom it delayed, from this interval's pairs; its
		 * victims have no filter of their own to set */
		if (!row->pid || a->vopts.runq_table == RUNQ_VICTIMS)
			return R_NONE;
		a->vopts.runq_table = RUNQ_VICTIMS;
		a->vopts.runq_culprit = row->pid;
		snprintf(d.label, sizeof(d.label), "delayed by %u", row->pid);
	} else {
		bool process = !a->vopts.group;

		if ((r = filter_to_row(a, row, &d)))
			return r;
		if (process && a->pane == PANE_SYS && !a->replay) /* a recording has no per-process table */
			a->vopts.sys_procs = false; /* show the process's own syscalls */
		if (process)
			a->vopts.tcp_procs = false; /* and its own connections */
		if (process && a->pane == PANE_RUNQ) /* a victim: who delayed it */
			a->vopts.runq_table = RUNQ_CULPRITS;
	}
	if ((int)a->vopts.runq_table != d.runq_table) { /* another table: by delay caused */
		ps->sort_col = 2;
		ps->reverse = false;
		ps->selected = 0;
		ps->selected_id = 0;
	}
	drill_push(a, &d);
	return R_REBUILD;
}

int app_drill_stacks(struct app *a)
{
	const struct table *t = &a->model.table;
	struct drill d;
	int r;

	if (a->help || !t->nrow || a->pane == PANE_STACK)
		return R_NONE;
	drill_save(a, &d);
	if ((r = filter_to_row(a, &t->row[a->ps[a->pane].selected], &d)))
		return r;
	snprintf(d.label + strlen(d.label), sizeof(d.label) - strlen(d.label), " stacks");
	a->pane = PANE_STACK;
	app_view_changed(a);
	drill_push(a, &d);
	return R_REBUILD;
}

int app_drill_out(struct app *a)
{
	char err[NOTE_LEN], list[MAX_FILTER_PIDS * 12] = "";
	struct drill *d;
	size_t len = 0;

	if (!a->ndrill) {
		log_msg("nothing to go back to (Enter on a group or a process goes in)");
		return R_REDRAW;
	}
	d = &a->drill[--a->ndrill];
	for (size_t i = 0; i < d->npids; i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%u", i ? "," : "", d->pids[i]);
	if (app_set_pids(a, list, err, sizeof(err)) || app_set_cgroup(a, d->cgroup, err, sizeof(err)))
		log_msg("%s", err);
	a->vopts.group = d->group;
	a->vopts.sys_procs = d->sys_procs;
	a->vopts.tcp_procs = d->tcp_procs;
	a->vopts.runq_table = d->runq_table;
	a->vopts.runq_culprit = d->runq_culprit;
	a->pane = d->pane;
	a->ps[d->pane] = d->ps;
	app_view_changed(a);
	return R_REBUILD;
}

bool app_flame_shown(const struct app *a)
{
	return a->pane == PANE_STACK && a->vopts.stack_flame && !a->help;
}

bool app_replay_filtered(const struct app *a)
{
	return a->replay && (a->npids || a->cgroup[0]);
}

void app_snapshot(struct app *a)
{
	struct json_meta meta;
	char path[4200];
	cJSON *doc;
	int err;

	if (!a->have_snap) {
		log_msg("snapshot: no data yet, wait one interval");
		return;
	}
	app_json_meta(a, &meta);
	meta.history = true; /* the stream as on screen, not just the last interval */
	doc = json_snapshot(&a->snap, &meta);
	err = snapfile_write(a->opt.snapshot_dir, doc, path, sizeof(path));
	cJSON_Delete(doc);
	if (err)
		log_msg("snapshot failed: %s: %s", a->opt.snapshot_dir ? a->opt.snapshot_dir : ".",
			   strerror(-err));
	else
		log_msg("snapshot: %s", path);
}

void app_view_changed(struct app *a)
{
	char msg[NOTE_LEN];

	if (!a->col)
		return;
	collector_set_self(a->col, a->opt.self || a->help);
	if (collector_set_view(a->col, a->pane, !a->interactive, msg, sizeof(msg)) || msg[0])
		if (a->interactive && msg[0])
			log_msg("%s", msg);
}

struct pane_state *app_table_state(struct app *a)
{
	return a->help ? &a->help_ps : &a->ps[a->pane];
}

struct replay *app_timeline(const struct app *a)
{
	return a->replay ? a->replay : a->history;
}

int app_live(struct app *a)
{
	a->rewound = false;
	log_msg("live");
	/* the newest frame is the last refresh; the next one replaces it */
	return app_replay_show(a, (long)replay_frames(a->history) - 1);
}

int app_replay_show(struct app *a, long i)
{
	struct replay *t = app_timeline(a);
	long n = (long)replay_frames(t), first = (long)replay_first(t);
	struct json_header h;
	struct snapshot s;
	char err[NOTE_LEN];

	i = i < first ? first : i >= n ? n - 1 : i;
	if (replay_load(t, i, &s, &h, err, sizeof(err))) {
		log_msg("replay: %s (%zu damaged frames skipped)", err, replay_damaged(t));
		a->frame = i; /* step past it */
		return R_REDRAW;
	}
	if (a->replay) { /* a rewind's rows were filtered live, by the kernel */
		struct rowfilter f = { a->pids, a->npids, a->cgroup };

		a->recorded = h;
		rowfilter_apply(&s, &f);
	}
	snapshot_free(&a->snap);
	a->snap = s;
	a->have_snap = true;
	a->frame = i;
	return R_REBUILD;
}

long app_replay_frame_at(const struct app *a, double seconds)
{
	struct replay *t = app_timeline(a);
	uint64_t now = replay_time_ns(t, a->frame);
	double want = (double)now + seconds * 1e9;

	if (want <= 0)
		return 0;
	if (seconds > 0) { /* the first frame at or after the time */
		size_t i = replay_find(t, (uint64_t)want);

		return replay_time_ns(t, i) < (uint64_t)want ? (long)i + 1 : (long)i;
	}
	return (long)replay_find(t, (uint64_t)want);
}

int app_parse_time(const struct app *a, const char *text, uint64_t *want, char *err,
		   size_t errlen)
{
	struct replay *t = app_timeline(a);
	uint64_t newest, shown;
	int hh, mm, ss = 0, used = 0;
	double back;

	if (!t || replay_frames(t) <= replay_first(t)) {
		snprintf(err, errlen, "no history to go back in (--history is 0)");
		return -1;
	}
	newest = replay_time_ns(t, replay_frames(t) - 1);
	shown = a->replay || a->rewound ? replay_time_ns(t, a->frame) : newest;
	if (*text == '-' && !options_parse_duration(text + 1, &back)) {
		*want = newest > back * 1e9 ? newest - (uint64_t)(back * 1e9) : 0;
	} else if ((sscanf(text, "%d:%d:%d%n", &hh, &mm, &ss, &used) == 3 ||
		    sscanf(text, "%d:%d%n", &hh, &mm, &used) == 2) &&
		   !text[used] && hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && ss >= 0 && ss < 60) {
		time_t day = (time_t)(shown / 1000000000ull);
		struct tm tm;

		localtime_r(&day, &tm);
		tm.tm_hour = hh;
		tm.tm_min = mm;
		tm.tm_sec = ss;
		tm.tm_isdst = -1;
		*want = (uint64_t)mktime(&tm) * 1000000000ull;
	} else {
		snprintf(err, errlen, "not a time: '%s' (HH:MM[:SS], -90s or -5m)", text);
		return -1;
	}
	return 0;
}

int app_branch(struct app *a, const char *text, char *err, size_t errlen)
{
	struct replay *t = app_timeline(a);
	uint64_t want;

	if (app_parse_time(a, text, &want, err, errlen))
		return R_REDRAW;
	if (!a->replay && want >= replay_time_ns(t, replay_frames(t) - 1)) {
		if (a->rewound)
			return app_live(a);
		return R_NONE;
	}
	if (!a->replay)
		a->rewound = true;
	a->playing = false;
	return app_replay_show(a, (long)replay_find(t, want));
}

void app_toggle_record(struct app *a)
{
	char name[64], path[4200], err[4300];
	time_t now = time(NULL);
	struct tm tm;

	if (a->replay || !a->interactive) {
		log_msg("R records the live view; this is %s", a->replay ? "a replay" : "headless");
		return;
	}
	if (a->recorder) {
		log_msg("recording stopped: %s", recorder_path(a->recorder));
		recorder_close(a->recorder);
		a->recorder = NULL;
		return;
	}
	localtime_r(&now, &tm);
	strftime(name, sizeof(name), "ebtop-%Y%m%d-%H%M%S.ebt", &tm);
	snprintf(path, sizeof(path), "%s/%s", a->opt.snapshot_dir ? a->opt.snapshot_dir : ".",
		 name);
	a->recorder = recorder_open(path, true, a->opt.record_max, a->opt.record_keep, err,
				    sizeof(err));
	if (!a->recorder)
		log_msg("%s", err);
	else
		log_msg("recording to %s", path);
}

/* The running program: options, collector, the snapshot on screen, and the
 * per-pane UI state that keys change and paint reads. */
#ifndef EBTOP_APP_H
#define EBTOP_APP_H

#include <stdbool.h>
#include "probes/collector.h"
#include "views/model.h"
#include "tui/options.h"
#include "probes/snapshot.h"
#include "views/view.h"
#include "tui/menu.h"
#include "tui/folded.h"

struct pane_state {
	int sort_col;
	bool reverse;
	int selected;        /* row index in the sorted table */
	uint64_t selected_id;  /* row id the selection follows */
	int scroll;          /* first row shown */
	bool following;      /* a stream's selection stays on its newest row */
	int hscroll;         /* columns scrolled off to the left (Left, Right) */
	/* the sort column by name, once the user chose it (or the settings
	 * file did: pending until the pane's table is first built) */
	char sort_name[64];
	bool sort_pending;
};

enum prompt_kind { PROMPT_NONE, PROMPT_PID, PROMPT_CGROUP, PROMPT_SEARCH, PROMPT_TIME, PROMPT_ROWS };

/* Enter into a group or a process pushes what was on screen; Backspace
 * pops it back: the filter, the grouping and the pane's sort and
 * selection. */
#define DRILL_MAX 8
struct drill {
	char label[64];               /* for the breadcrumb */
	char cgroup[512];
	unsigned pids[MAX_FILTER_PIDS];
	size_t npids;
	int group;
	bool sys_procs, tcp_procs;    /* which table the pane showed */
	int runq_table;
	uint32_t runq_culprit;
	int pane;
	struct pane_state ps;
};

/* Where paint put things, for the mouse (tui/mouse.c). */
#define SCREEN_MAX_COLS 16
struct screen_map {
	int tab_end[NPANES];      /* tab p ends before this column of line 0 */
	int header_y;             /* the table's header line; -1: no table drawn */
	int col_x[SCREEN_MAX_COLS], col_w[SCREEN_MAX_COLS]; /* by column; w 0: not shown */
	int rows_y, nrows;        /* the first row's line, and rows drawn */
};

/* k: a signal chosen from the menu, asked about (tui/sigmenu.c) */
struct signal_menu {
	bool confirm;        /* asking y/N */
	int choice;          /* index in the menu */
	unsigned pid;
	char comm[16];       /* as /proc had it when the menu opened */
};

struct app {
	struct options opt;
	struct collector *col;
	struct metrics *metrics;      /* --listen: counters since start */
	struct folded *folded;        /* --folded: the run's stacks */
	struct server *server;        /* --listen: the /metrics endpoint */
	struct snapshot snap;         /* what is on screen (frozen while paused) */
	struct replay *replay;        /* -r: frames instead of the collector */
	struct replay *history;       /* live: the last --history of refreshes */
	bool rewound;                 /* live: a frame of history is on screen */
	size_t frame;                 /* replay: the frame on screen */
	bool playing;                 /* replay: frames advance at recorded pace */
	struct recorder *recorder;    /* --record or R: where frames go; NULL none */
	double speed;                 /* replay: 1 is as recorded */
	uint64_t replay_to;           /* headless replay: emit frames up to this time */
	struct json_header recorded;  /* replay: the filter the frame was taken under */
	struct pane_model model;      /* built from snap for the current pane */
	bool have_snap;
	int pane;
	struct pane_state ps[NPANES];
	struct pane_state help_ps;    /* the help table's own selection and scroll */
	struct view_opts vopts;
	bool paused, help, quit, interactive;
	bool header;                  /* the machine's figures above the pane (m) */
	double delay;
	long ticks;
	int timer_fd;
	/* filter as the user set it, for the status line and JSON; in a
	 * replay, applied to the recorded rows (rowfilter.h) */
	unsigned pids[MAX_FILTER_PIDS];
	size_t npids;
	char cgroup[512];
	struct drill drill[DRILL_MAX];
	int ndrill;
	struct signal_menu sigmenu;
	struct menu menu;             /* k, F6: open over the pane */
	struct screen_map map;        /* set by paint */
	const char *theme;            /* the theme's name (or file) on screen */
	char settings_path[4096];     /* "": no settings file */
	char *settings_start;         /* what the file would hold at start */
	struct mouse_click { long long ms; int y; } last_click; /* a second one soon: double */
	/* prompt line */
	enum prompt_kind prompt;
	char input[256];
	size_t input_len;
	char search[256];
	char rows_matching[256];      /* F4 or \: only rows with this text in a cell */
	int rows, cols;
	int page_rows;                /* table rows visible, set by paint */
	int cols_right;               /* columns Right would bring in, set by paint */
};

/* Reactions an action asks of the loop. */
enum {
	R_NONE = 0,
	R_REDRAW = 1,      /* repaint the screen */
	R_REBUILD = 2,     /* rebuild the model from the snapshot, then repaint */
	R_TIMER = 4,       /* the interval changed: re-arm the timer */
};

/* The selection, scroll and sort of the table on screen (help has its own). */
struct pane_state *app_table_state(struct app *a);
/* Build the model of the pane on screen from the snapshot. */
void app_rebuild(struct app *a);
/* The pane on screen changed: attach what it needs, detach what it hid. */
void app_view_changed(struct app *a);
/* The frames a replay or a rewind moves through. */
struct replay *app_timeline(const struct app *a);
/* Replay or rewind: show frame i (clamped to those kept). Returns reactions. */
int app_replay_show(struct app *a, long i);
/* The frame seconds away from the one on screen. */
long app_replay_frame_at(const struct app *a, double seconds);
/* Rewind: back to the live data. */
int app_live(struct app *a);
/* Rewind or replay: go to a time, "HH:MM[:SS]" (local, the day of the
 * frame on screen) or "-90s", "-5m" (back from the newest frame). Returns
 * reactions; a reason in err when the text is not a time. */
int app_branch(struct app *a, const char *text, char *err, size_t errlen);
/* The time text names, as app_branch reads it; 0, or -1 with err set. */
int app_parse_time(const struct app *a, const char *text, uint64_t *want, char *err,
		   size_t errlen);
/* R: start recording the live view to a new file, or stop. */
void app_toggle_record(struct app *a);
/* Enter on the selected row: a group (g) filters to its cgroup, a process
 * to its pid; either is pushed on the drill stack. Returns reactions. */
int app_drill_in(struct app *a);
/* S: the stack pane for the selected process or group, filtered to it as
 * Enter filters; Backspace comes back to this pane. */
int app_drill_stacks(struct app *a);
/* The stack pane's flame graph is on screen: it takes the arrows, Enter,
 * Backspace and the search. */
bool app_flame_shown(const struct app *a);
/* Backspace: back to what was on screen before the last drill. */
int app_drill_out(struct app *a);
/* A replay with the user's own filter on its rows. */
bool app_replay_filtered(const struct app *a);
int app_set_pids(struct app *a, const char *text, char *err, size_t errlen);
int app_set_cgroup(struct app *a, const char *text, char *err, size_t errlen);
/* The cgroup filter from a path below the cgroup2 mount, as rows name
 * cgroups: live, made absolute (so "/" is the cgroup2 root, not the file
 * system's); in a replay, as it is. */
int app_set_cgroup_below(struct app *a, const char *rel, char *err, size_t errlen);
/* The user chose the sort column of the table on screen: remember it by
 * name, for the settings file. */
void app_sort_chosen(struct app *a);
/* The settings file's text for the state now (malloc'd). */
char *app_settings_text(const struct app *a);
/* Write an "ebtop/1" snapshot of what is on screen; reports in the status. */
void app_snapshot(struct app *a);
struct json_meta;
void app_json_meta(const struct app *a, struct json_meta *m);

#endif

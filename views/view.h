/* The panes: each turns a snapshot into a view model (for the screen and
 * --batch) and into its JSON object (for --json and the s key). */
#ifndef EBTOP_VIEW_H
#define EBTOP_VIEW_H

#include <cjson/cJSON.h>
#include "views/model.h"
#include "probes/filter.h"
#include "probes/snapshot.h"

#define FLAME_PATH_LEN 2048
#define FLAME_SEP '\x1f'

/* What the user chose to see, beyond sorting: pane-specific toggles. */
enum tcp_show { TCP_SHOW_ALL, TCP_SHOW_LIVE, TCP_SHOW_ESTABLISHED, TCP_SHOW_CLOSED, TCP_SHOW_N };

/* The runq pane's table: who waited, who made them wait, or whom one
 * culprit delayed. */
enum runq_table { RUNQ_WAITED, RUNQ_CULPRITS, RUNQ_VICTIMS };

struct view_opts {
	bool tcp_listeners;     /* list listening sockets */
	enum tcp_show tcp_show; /* which connections the tcp pane lists */
	bool sys_procs;         /* the sys pane lists processes, not syscalls */
	bool tcp_procs;         /* the tcp pane lists processes, not connections */
	bool threads;           /* H: the cpu and runq panes list threads */
	enum runq_table runq_table;   /* the runq pane's table */
	uint32_t runq_culprit;  /* RUNQ_VICTIMS: whose victims */
	bool cmdline;           /* the cpu pane's COMMAND is the full command line */
	bool tree;              /* the cpu pane's rows as a process tree */
	int group;              /* g: enum group_level, rows by cgroup or slice */
	bool stack_flame;       /* F: the stack pane as a flame graph */
	/* the flame graph's frame zoomed into (Enter) and its selected one,
	 * each the names from below "all" down to it, joined by FLAME_SEP;
	 * "": all */
	char flame_zoom[FLAME_PATH_LEN];
	char flame_sel[FLAME_PATH_LEN];
	const char *flame_match; /* / : frames containing it stand out */
	/* what the screen can show: columns (0: not a screen, e.g. --batch)
	 * and whether it draws block graphics (tui/term.h) */
	int width;
	int height;             /* lines for the pane below the tabs, 0: not a screen */
	bool blocks;
};

const char *tcp_show_name(enum tcp_show s);
/* The kernel's name of a TCP state number (ESTABLISHED...), or "?". */
const char *tcp_state_name(unsigned state);

/* A pane's view; which pane, and its name, come from the pane list. */
struct pane {
	int default_sort;       /* column */
	bool default_reverse;   /* e.g. oldest first for a stream */
	bool follow_tail;       /* a selection on the last row stays on the last row */
	void (*build)(const struct snapshot *s, const struct view_opts *o, struct pane_model *m);
	/* history: streams give everything kept, not only the new records */
	cJSON *(*json)(const struct snapshot *s, bool history);
	/* The inverse, for replay: the pane's part of s from its object. The
	 * object is untrusted: a key missing or of another type reads as 0
	 * or empty. Returns 0 or -ENOMEM. */
	int (*parse)(const cJSON *o, struct snapshot *s);
};

extern const struct pane *const panes[NPANES];

const char *pane_name(enum pane_id id);
/* Every pane's name in key order: "cpu, runq, sys, tcp or exec" for
 * sep ", " and last_sep " or ". */
void pane_list(char *buf, size_t len, const char *sep, const char *last_sep);
/* A pane's name (as -v and JSON spell it) -> its id, or -1. */
int pane_id_by_name(const char *name);

/* The flame graph's keys: the selection to the caller, the widest callee,
 * the block left or right on its line; Enter zooms into the selection,
 * Backspace out one frame. */
enum flame_move { FLAME_UP, FLAME_DOWN, FLAME_LEFT, FLAME_RIGHT, FLAME_ZOOM, FLAME_UNZOOM };

/* Move o's flame selection or zoom over y's stacks as o lays them out.
 * Returns 0, or -1 where there is nowhere to go (FLAME_UNZOOM: not
 * zoomed), o unchanged then. */
int stack_flame_move(const struct stack_snap *y, struct view_opts *o, enum flame_move how);

/* Build a pane's model, or a one-line "unavailable: why" model. */
void pane_build(enum pane_id id, const struct snapshot *s, const struct view_opts *o,
		struct pane_model *m);

struct json_meta {
	const char *view;
	const unsigned *pids;
	size_t npids;
	const char *cgroup;     /* NULL when not filtered */
	bool history;           /* streams: all kept records (s key), not only new ones */
};

/* The whole "ebtop/1" document for a snapshot. */
cJSON *json_snapshot(const struct snapshot *s, const struct json_meta *meta);

/* What a document says beyond its panes, for a replayed screen. */
struct json_header {
	char view[16];                  /* "" when absent */
	unsigned pids[MAX_FILTER_PIDS];
	size_t npids;
	char cgroup[512];               /* "" when not filtered */
};
/* A document (text of len bytes) -> snapshot: the inverse of
 * json_snapshot. Returns 0, or -EBADMSG with a reason in err for what is
 * not an "ebtop/1" document. s is zeroed first and owns what it gets. */
int json_parse_snapshot(const char *text, size_t len, struct snapshot *s, struct json_header *h,
			char *err, size_t errlen);

/* Reading untrusted objects: a key missing or of another type gives 0,
 * "" or NULL; numbers are clamped to the type asked for. */
double json_get_num(const cJSON *o, const char *key);
uint64_t json_get_u64(const cJSON *o, const char *key);
uint32_t json_get_u32(const cJSON *o, const char *key);
int32_t json_get_i32(const cJSON *o, const char *key);
void json_get_text(const cJSON *o, const char *key, char *buf, size_t len);
const cJSON *json_get_array(const cJSON *o, const char *key);
/* A row's "user" as recorded; its uid's number when there is none (the
 * recording's machine named its users, not the reader's). */
void user_from(const cJSON *o, uint32_t uid, char *buf, size_t len);
/* An RFC 3339 time as json_time writes it; false if there is none. */
bool json_get_time(const cJSON *o, const char *key, struct timespec *ts);

/* The document as compact JSON text (malloc'd; NULL with errno set):
 * what cJSON_PrintUnformatted makes, faster (see json.c). */
char *json_print(const cJSON *doc);

/* RFC 3339 UTC with milliseconds. */
void json_time(char *buf, size_t len, const struct timespec *ts);
/* Add a number, a string of ebtop's own, or a string from the kernel or
 * /proc (sanitized) to a JSON object. key: a string literal (kept, not
 * copied). */
void json_num(cJSON *o, const char *key, double v);
void json_str(cJSON *o, const char *key, const char *v);
void json_add_text(cJSON *o, const char *key, const char *raw);

/* The header above every pane, from the machine's figures: meters per CPU
 * (or a cell each on a big machine), load, tasks, memory, pressure. */
void header_build(const struct system_snap *s, int width, bool blocks, struct pane_model *m);
/* Its part of a document, "system", and back. */
cJSON *header_json(const struct system_snap *s);
void header_parse(const cJSON *o, struct system_snap *s);

/* ebtop's own cost: lines under the help screen's title (live: it is
 * read while help shows; else from the recording), and "self" in a
 * document, and back. */
void self_lines(const struct self_snap *s, bool live, struct pane_model *m);
cJSON *self_json(const struct self_snap *s);
void self_parse(const cJSON *o, struct self_snap *s);

/* Number formatting shared by the panes. */
void fmt_duration_ns(char *buf, size_t len, double ns);
void fmt_count(char *buf, size_t len, double n);
void fmt_bytes(char *buf, size_t len, double n);
/* FNV-1a over n bytes, from h (FNV1A_SEED to start): stable row ids. */
#define FNV1A_SEED 0xcbf29ce484222325ull
uint64_t fnv1a(const void *p, size_t n, uint64_t h);
/* A duration given in microseconds, as fmt_duration_ns writes it. */
void fmt_us(char *buf, size_t len, double us);
/* A user name in the USER column: past USER_COLS it is cut and ends in
 * '+', as ps does. */
#define USER_COLS 8
void fmt_user(char *buf, size_t len, const char *name);

#endif

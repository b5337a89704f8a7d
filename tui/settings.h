/* Settings that stay: ~/.config/ebtop/ebtoprc ($XDG_CONFIG_HOME honoured,
 * --config FILE, --no-config). "key = value" lines (tui/conffile.h):
 *
 *   pane = cpu             the pane shown at start
 *   theme = default        a name or a file
 *   delay = 1              seconds
 *   header = on            the header above the panes (m)
 *   cmdline = off          the cpu pane's COMMAND: full command lines (a)
 *   tree = off             the cpu pane as a process tree (F5)
 *   mouse = on             mouse reports (--no-mouse)
 *   sort.cpu = CPU%        a pane's sort column, by its header name
 *   reverse.cpu = off      and its order
 *
 * Read at start, under the command line (what it gives wins); written at
 * exit, atomically, 0600, only when something changed. A bad line is one
 * warning and its default. */
#ifndef EBTOP_SETTINGS_H
#define EBTOP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include "probes/pane_list.h"
#include "tui/conffile.h"

#define SETTING_NAME_MAX 64

struct settings {
	int pane;                        /* -1: not set */
	char theme[256];                 /* "": not set */
	double delay;                    /* 0: not set */
	int header, mouse, cmdline, tree; /* -1: not set, else 0 / 1 */
	char sort[NPANES][SETTING_NAME_MAX]; /* "": not set */
	int reverse[NPANES];             /* -1: not set */
};

/* Nothing set. */
void settings_init(struct settings *s);
/* Parse len bytes (any bytes); returns the number of warnings. */
int settings_parse(const char *text, size_t len, struct settings *s, conf_warn_fn warn, void *ctx);
/* The file text for s (what is set), malloc'd. */
char *settings_format(const struct settings *s);

/* The file to use: --config's, else $XDG_CONFIG_HOME/ebtop/ebtoprc, else
 * ~/.config/ebtop/ebtoprc; "" when there is no home to put it in. */
void settings_path(const char *config, char *buf, size_t len);
/* Read path into s (a missing file is no error), a warning per bad line.
 * 0, or -errno for a file that cannot be read (-EFBIG past 64 KiB). */
int settings_load(const char *path, struct settings *s, conf_warn_fn warn, void *ctx);
/* Write text to path unless the file already holds it: a temporary file
 * in the same directory (made 0700 if missing), then rename. 0 or -errno. */
int settings_save(const char *path, const char *text);

#endif

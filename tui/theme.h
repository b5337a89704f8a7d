/* Colour roles -> curses attributes. Views name roles; only this module
 * knows colours. */
#ifndef EBTOP_THEME_H
#define EBTOP_THEME_H

#include <stdbool.h>
#include "views/model.h"

struct tcolour;

/* Load a theme by name or file path (contains a '/'). Bad lines are
 * warnings (log_msg) with built-in fallbacks; an unknown name or an
 * unreadable file is an error in err. Before or after curses starts. */
int theme_load(const char *name_or_file, char *err, size_t errlen);
/* After initscr: set up colours for the loaded theme; mono without colour
 * or with NO_COLOR. */
void theme_apply(void);
/* Load and apply the next theme (t key); returns its name. */
const char *theme_next(void);
int theme_attr(enum role r);
/* Every theme available, for messages: "default, high-contrast, ...". */
const char *theme_names(void);
/* A theme colour as a curses colour number for a terminal with ncolours
 * colours (-1: the terminal's default). */
int theme_fit_colour(const struct tcolour *c, int ncolours);

#endif

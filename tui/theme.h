/* Colour roles -> curses attributes. Views name roles; only this module
 * knows colours. */
#ifndef EBTOP_THEME_H
#define EBTOP_THEME_H

#include <stdbool.h>
#include "model.h"

/* Set up colours after initscr for the named theme; falls back to mono on
 * terminals without colour or when NO_COLOR is set. */
void theme_apply(const char *name);
/* Name of the next theme after the current one (t key), applied. */
const char *theme_next(void);
const char *theme_current(void);
int theme_attr(enum role r);
/* Is this a theme name ebtop knows? And the list of them, for messages. */
bool theme_exists(const char *name);
const char *theme_names(void);

#endif

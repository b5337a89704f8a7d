/* Clicks and the wheel (xterm SGR reports, tui/input.c): a tab switches
 * pane, a column header sorts (again: reverses), a row is selected, a
 * double click is Enter, the wheel scrolls. Where things are on screen
 * is what paint left in app->map. */
#ifndef EBTOP_MOUSE_H
#define EBTOP_MOUSE_H

#include "tui/app.h"
#include "tui/input.h"

/* Returns reactions (R_*). */
int mouse_handle(struct app *a, const struct mouse_event *ev);

#endif

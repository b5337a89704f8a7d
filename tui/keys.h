/* The key table: every key, its action and its help text in one place. */
#ifndef EBTOP_KEYS_H
#define EBTOP_KEYS_H

#include "tui/app.h"

/* Run the key's action; returns the reactions it asks for (R_*). */
int keys_handle(struct app *a, int ch);
/* Select row i of the table on screen (clamped), as the arrows would. */
int keys_select(struct app *a, int i);
/* The help screen, generated from the key table. */
void keys_help(struct pane_model *m);
/* One-line hint bar: key/label pairs from the key table. */
void keys_hints(struct pane_model *m);

#endif

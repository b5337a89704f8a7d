/* k / F9: signal the selected process. A menu of signals (TERM first),
 * then a confirmation naming the pid and command, then kill(2); the
 * status line says what happened. Nothing is sent without the "y". */
#ifndef EBTOP_SIGMENU_H
#define EBTOP_SIGMENU_H

#include "tui/app.h"

/* Open the menu for the selected row's process; a reason in the status
 * line when there is none to signal (a replay, a rewind, no process). */
int sigmenu_open(struct app *a);
/* The answer to the confirmation (y sends); returns reactions (R_*). */
int sigmenu_key(struct app *a, int ch);
/* The confirmation for the status line, or NULL when not asking. */
const char *sigmenu_question(const struct app *a, char *buf, size_t len);

#endif

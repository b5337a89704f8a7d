/* The one-line prompt in the status line: PID and cgroup filters, search. */
#ifndef EBTOP_PROMPT_H
#define EBTOP_PROMPT_H

#include "tui/app.h"

void prompt_open(struct app *a, enum prompt_kind kind, const char *initial);
/* A key while the prompt is open; returns reactions (R_*). */
int prompt_key(struct app *a, int ch);

#endif

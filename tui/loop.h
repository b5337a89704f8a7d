#ifndef EBTOP_LOOP_H
#define EBTOP_LOOP_H

#include <stdio.h>
#include "tui/app.h"

/* Run until quit, the iteration count or a signal; returns the exit code.
 * out is the --json or --batch stream, NULL when interactive. */
int loop_run(struct app *a, FILE *out);

#endif

#ifndef EBTOP_LOOP_H
#define EBTOP_LOOP_H

#include <signal.h>
#include <stdio.h>
#include "tui/app.h"

/* Hold SIGINT, SIGTERM and SIGHUP for the loop's signalfd (the set in
 * mask, if given) and ignore SIGPIPE; from the start of an interactive
 * ebtop, so a signal while the probes load ends it cleanly too. */
void loop_block_signals(sigset_t *mask);

/* Run until quit, the iteration count or a signal; returns the exit code.
 * out is the --json or --batch stream, NULL when interactive. */
int loop_run(struct app *a, FILE *out);

#endif

/* The one error sink: every message, error or status, goes through
 * log_msg. Before curses starts and after it ends, messages go to stderr
 * as "ebtop: message"; while curses owns the screen they go to the status
 * line, and anything else written to stderr is kept and printed after
 * endwin. Callers write the message only, never the prefix. */
#ifndef EBTOP_LOG_H
#define EBTOP_LOG_H

#include <stdbool.h>

void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Route messages to the status line (and capture fd 2) or back to stderr. */
void log_to_screen(bool on);
/* While on screen, also keep every message for stderr after endwin: the
 * start-up's, so a start that fails on a drawn screen still says why. */
void log_keep(bool on);
/* The latest message while on screen, or "" */
const char *log_last(void);
void log_clear(void);
/* Send libbpf's warnings to log_msg. */
void log_capture_libbpf(void);

#endif

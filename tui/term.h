/* Curses on and off. The terminal is restored on every exit path: normal
 * return, exit(), and (best effort) fatal signals, which are re-raised. */
#ifndef EBTOP_TERM_H
#define EBTOP_TERM_H

#include <stdbool.h>

/* mouse: ask the terminal for click and wheel reports (xterm's SGR form,
 * which tmux, screen and every xterm-like terminal speak over ssh). */
int term_start(bool mouse);
void term_stop(void);
/* Bars, meters and heat cells in Unicode blocks: a UTF-8 locale, on a
 * terminal other than the linux console or a VT (whose fonts lack them);
 * else the ASCII forms. */
bool term_blocks(void);

#endif

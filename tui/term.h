/* Curses on and off. The terminal is restored on every exit path: normal
 * return, exit(), and (best effort) fatal signals, which are re-raised. */
#ifndef EBTOP_TERM_H
#define EBTOP_TERM_H

int term_start(void);
void term_stop(void);

#endif

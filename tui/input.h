/* Keys from the terminal. curses decodes the sequences terminfo names;
 * the common xterm, VT220, rxvt and linux-console forms of the editing and
 * function keys are decoded here too, so a terminal whose terminfo lacks
 * one (End as ESC [ 4 ~ under tmux with TERM=xterm-256color) still works,
 * and a sequence nobody knows is dropped whole instead of arriving as
 * ESC, '[', '4', '~'. */
#ifndef EBTOP_INPUT_H
#define EBTOP_INPUT_H

#include <curses.h>
#include <stdbool.h>

/* The next byte of the sequence, or -1 when none came within wait_ms. */
typedef int (*input_next_fn)(void *ctx, int wait_ms);

/* What a key read as `first` is, reading the rest of its sequence with
 * next: a curses key code, a character, 27 for Esc, or INPUT_NONE for a
 * sequence that means no key ebtop knows. A byte read after Esc that
 * starts no sequence (Esc, then x typed at once) is a key of its own: it
 * is left in *pending for the caller to deliver next (-1: none). */
#define INPUT_NONE (-2)
int input_decode(int first, input_next_fn next, void *ctx, int *pending);

/* A mouse report (xterm SGR, ESC [ < b ; x ; y M or m; or X10's three
 * bytes) decodes to INPUT_MOUSE, and input_mouse() says what it was. */
#define INPUT_MOUSE (KEY_MAX + 1)
struct mouse_event {
	int button;   /* 0 left, 1 middle, 2 right, 64 wheel up, 65 wheel down */
	int x, y;     /* the cell, from 0 */
	bool press;   /* false: released */
};
const struct mouse_event *input_mouse(void);

/* The next key from curses (non-blocking), decoded; ERR when none is
 * waiting. Dropped sequences are skipped. */
int input_key(void);

#endif

/* Styled lines and tables -> curses: the only drawing code. */
#ifndef EBTOP_PAINT_H
#define EBTOP_PAINT_H

#include "tui/app.h"

/* Draw the whole screen: tabs, the model, status and hint lines. */
void paint(struct app *a);

#endif

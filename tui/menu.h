/* A menu over the pane: a title, up to MENU_MAX items, one chosen with
 * Up/Down and Enter (or its number), Esc for none. The signal menu (k)
 * and the sort menu (F6) are its users. */
#ifndef EBTOP_MENU_H
#define EBTOP_MENU_H

#include <stdbool.h>

#define MENU_MAX 16
#define MENU_ITEM_LEN 40

struct app;

struct menu {
	bool open;
	char title[48];
	char items[MENU_MAX][MENU_ITEM_LEN];
	int n, choice;
	/* Enter on item i; returns reactions (R_*) */
	int (*chosen)(struct app *a, int i);
};

/* Open with items (n, at most MENU_MAX), choice first highlighted. */
void menu_open(struct menu *m, const char *title, const char *const *items, int n, int choice,
	       int (*chosen)(struct app *a, int i));
/* A key while it is open; returns reactions (R_*). */
int menu_key(struct app *a, struct menu *m, int ch);
/* Draw it at the right of the screen from line y. */
void menu_paint(const struct menu *m, int y, bool utf8);

#endif

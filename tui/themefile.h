/* Theme files: one "role = fg,bg,attrs" per line, '#' comments. Parsing is
 * separate from curses so it can be tested and fuzzed on its own; a bad line
 * is a warning and its role keeps the built-in style. */
#ifndef EBTOP_THEMEFILE_H
#define EBTOP_THEMEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "views/model.h"

enum tattr { TA_BOLD = 1, TA_DIM = 2, TA_UNDERLINE = 4, TA_REVERSE = 8, TA_ITALIC = 16 };

enum tcolour_kind { TC_DEFAULT, TC_INDEX, TC_RGB };

struct tcolour {
	enum tcolour_kind kind;
	int index;               /* TC_INDEX: 0-255 (0-15 follow the terminal's palette) */
	uint8_t r, g, b;         /* TC_RGB */
};

struct tstyle {
	bool set;                /* given by the file */
	struct tcolour fg, bg;
	unsigned attrs;          /* enum tattr bits */
};

struct theme_spec {
	struct tstyle role[NROLES];
};

/* Called once per bad line; msg is printable ASCII. */
typedef void (*theme_warn_fn)(void *ctx, int line, const char *msg);

/* Parse len bytes (any bytes at all). Returns the number of warnings. */
int theme_parse(const char *text, size_t len, struct theme_spec *out, theme_warn_fn warn,
		void *ctx);

/* Role names as theme files spell them: "title", "hint_key", "heat0"... */
const char *role_name(enum role r);

#endif

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "theme.h"

struct style {
	short fg, bg;  /* curses colour numbers, -1 default */
	int attr;
};

struct theme {
	const char *name;
	struct style role[NROLES];
};

/* Built-in themes use the 8 basic colours, so they work on any colour
 * terminal; the mono theme carries meaning with attributes alone. */
static const struct theme themes[] = {
	{ "default", {
		[ROLE_NORMAL] = { -1, -1, 0 },
		[ROLE_TITLE] = { COLOR_CYAN, -1, A_BOLD },
		[ROLE_HEADER] = { COLOR_BLACK, COLOR_GREEN, 0 },
		[ROLE_SORTED] = { COLOR_BLACK, COLOR_CYAN, A_BOLD },
		[ROLE_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0 },
		[ROLE_STATUS] = { COLOR_WHITE, COLOR_BLUE, 0 },
		[ROLE_HINT] = { COLOR_BLACK, COLOR_CYAN, 0 },
		[ROLE_HINT_KEY] = { COLOR_WHITE, COLOR_BLACK, A_BOLD },
		[ROLE_DIM] = { COLOR_BLUE, -1, A_BOLD },
		[ROLE_WARN] = { COLOR_YELLOW, -1, A_BOLD },
		[ROLE_CRIT] = { COLOR_RED, -1, A_BOLD },
		[ROLE_BAR] = { COLOR_GREEN, -1, A_BOLD },
		[ROLE_TAB] = { COLOR_WHITE, COLOR_BLUE, 0 },
		[ROLE_TAB_ACTIVE] = { COLOR_BLACK, COLOR_GREEN, A_BOLD },
		[ROLE_HEAT0] = { COLOR_BLUE, -1, 0 },
		[ROLE_HEAT1] = { COLOR_CYAN, -1, 0 },
		[ROLE_HEAT2] = { COLOR_GREEN, -1, 0 },
		[ROLE_HEAT3] = { COLOR_YELLOW, -1, 0 },
		[ROLE_HEAT4] = { COLOR_RED, -1, A_BOLD },
	} },
	{ "mono", {
		[ROLE_TITLE] = { -1, -1, A_BOLD },
		[ROLE_HEADER] = { -1, -1, A_REVERSE },
		[ROLE_SORTED] = { -1, -1, A_REVERSE | A_BOLD | A_UNDERLINE },
		[ROLE_SELECTED] = { -1, -1, A_REVERSE },
		[ROLE_STATUS] = { -1, -1, A_REVERSE },
		[ROLE_HINT] = { -1, -1, A_REVERSE },
		[ROLE_HINT_KEY] = { -1, -1, A_BOLD },
		[ROLE_DIM] = { -1, -1, A_DIM },
		[ROLE_WARN] = { -1, -1, A_BOLD },
		[ROLE_CRIT] = { -1, -1, A_BOLD | A_UNDERLINE },
		[ROLE_BAR] = { -1, -1, A_BOLD },
		[ROLE_TAB] = { -1, -1, A_REVERSE },
		[ROLE_TAB_ACTIVE] = { -1, -1, A_BOLD | A_UNDERLINE },
		[ROLE_HEAT1] = { -1, -1, A_DIM },
		[ROLE_HEAT2] = { -1, -1, 0 },
		[ROLE_HEAT3] = { -1, -1, A_BOLD },
		[ROLE_HEAT4] = { -1, -1, A_BOLD | A_REVERSE },
	} },
};
#define NTHEMES (int)(sizeof(themes) / sizeof(themes[0]))

static int current;
static bool colour;
static int attrs[NROLES];

static bool use_colour(void)
{
	const char *nc = getenv("NO_COLOR");

	return has_colors() && !(nc && *nc);
}

static void load(int idx)
{
	const struct theme *t = &themes[idx];
	bool mono = !colour || !strcmp(t->name, "mono");
	const struct theme *src = mono ? &themes[1] : t;

	current = idx;
	for (int r = 0; r < NROLES; r++) {
		const struct style *s = &src->role[r];

		attrs[r] = s->attr;
		if (!mono && (s->fg != -1 || s->bg != -1)) {
			init_pair(r + 1, s->fg, s->bg);
			attrs[r] |= COLOR_PAIR(r + 1);
		}
	}
}

void theme_apply(const char *name)
{
	colour = use_colour();
	if (colour) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < NTHEMES; i++)
		if (!strcmp(themes[i].name, name)) {
			load(i);
			return;
		}
	load(0);
}

const char *theme_next(void)
{
	load((current + 1) % NTHEMES);
	return themes[current].name;
}

const char *theme_current(void)
{
	return themes[current].name;
}

int theme_attr(enum role r)
{
	return attrs[r];
}

bool theme_exists(const char *name)
{
	for (int i = 0; i < NTHEMES; i++)
		if (!strcmp(themes[i].name, name))
			return true;
	return false;
}

const char *theme_names(void)
{
	return "default or mono";
}

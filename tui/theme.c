/* Themes: found by name in the user's config dir, then next to the binary
 * (installed share dir, or the build tree's copy), never in the current
 * directory; default and mono are also built in (generated from
 * themes/default.theme and themes/mono.theme), so ebtop always has one.
 * Colours are fitted to what the terminal has: direct colour, 256, 16 or 8,
 * else the mono theme's attributes carry the meaning. */
#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "builtin_themes.h"
#include "tui/log.h"
#include "tui/theme.h"
#include "tui/themefile.h"

#define MAX_THEMES 64
#define MAX_FILE (256 * 1024)

static const struct {
	const char *name, *text;
} builtins[] = { { "default", builtin_default }, { "mono", builtin_mono } };

static struct theme_spec spec, fallback, mono;
static char current[64] = "default";
static bool colour, started;
static int attrs[NROLES];

static void warn_line(void *ctx, int line, const char *msg)
{
	log_msg("theme %s:%d: %s", (const char *)ctx, line, msg);
}

static void parse_builtin(const char *name, struct theme_spec *out)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].name, name))
			theme_parse(builtins[i].text, strlen(builtins[i].text), out, NULL, NULL);
}

/* Directories searched for NAME.theme, in order. */
static int theme_dirs(char dirs[3][PATH_MAX])
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int k = 0;

	if (xdg && *xdg == '/')
		snprintf(dirs[k++], PATH_MAX, "%s/ebtop/themes", xdg);
	else if (home && *home == '/')
		snprintf(dirs[k++], PATH_MAX, "%s/.config/ebtop/themes", home);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		snprintf(dirs[k++], PATH_MAX, "%.*s/../share/ebtop/themes", PATH_MAX - 32, exe);
		snprintf(dirs[k++], PATH_MAX, "%.*s/themes", PATH_MAX - 32, exe);
	}
	return k;
}

static bool valid_name(const char *name)
{
	return *name && strlen(name) < 64 && !strchr(name, '/') && name[0] != '.';
}

/* Path of a theme file by name, or false. */
static bool find_file(const char *name, char *path, size_t len)
{
	char dirs[3][PATH_MAX];
	int n = theme_dirs(dirs);

	if (!valid_name(name))
		return false;
	for (int i = 0; i < n; i++) {
		snprintf(path, len, "%.*s/%s.theme", PATH_MAX - 80, dirs[i], name);
		if (access(path, R_OK) == 0)
			return true;
	}
	return false;
}

static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	*text = malloc(MAX_FILE + 1);
	n = *text ? fread(*text, 1, MAX_FILE + 1, f) : 0;
	fclose(f);
	if (!*text)
		return -ENOMEM;
	if (n > MAX_FILE) {
		free(*text);
		return -EFBIG;
	}
	*len = n;
	return 0;
}

int theme_load(const char *arg, char *err, size_t errlen)
{
	char path[PATH_MAX], label[64];
	bool is_file = strchr(arg, '/') != NULL;
	struct theme_spec parsed;
	char *text = NULL;
	size_t len = 0;
	int e;

	if (!is_file && !find_file(arg, path, sizeof(path))) {
		for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
			if (!strcmp(builtins[i].name, arg)) {
				parse_builtin(arg, &spec);
				snprintf(current, sizeof(current), "%s", arg);
				return 0;
			}
		snprintf(err, errlen, "unknown theme '%.64s': use %s, or a file path", arg,
			 theme_names());
		return -ENOENT;
	}
	if (is_file)
		snprintf(path, sizeof(path), "%s", arg);
	if ((e = read_file(path, &text, &len))) {
		snprintf(err, errlen, "cannot read theme %.200s: %s", path,
			 e == -EFBIG ? "larger than 256 KiB" : strerror(-e));
		return e;
	}
	snprintf(label, sizeof(label), "%.63s", strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	theme_parse(text, len, &parsed, warn_line, label);
	free(text);
	spec = parsed;
	snprintf(current, sizeof(current), "%.*s", (int)strcspn(label, "."), label);
	return 0;
}

/* xterm's default palette for 0-15, then the 6x6x6 cube and the grays. */
static void index_rgb(int i, int rgb[3])
{
	static const int base[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 }, { 0, 0, 238 },
		{ 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 }, { 127, 127, 127 },
		{ 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 }, { 92, 92, 255 }, { 255, 0, 255 },
		{ 0, 255, 255 }, { 255, 255, 255 },
	};
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };

	if (i < 16) {
		memcpy(rgb, base[i], sizeof(base[i]));
	} else if (i < 232) {
		rgb[0] = level[(i - 16) / 36];
		rgb[1] = level[(i - 16) / 6 % 6];
		rgb[2] = level[(i - 16) % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (i - 232);
	}
}

/* Nearest palette entry: among 16-255 on 256-colour terminals (0-15 are
 * whatever the terminal made them), else among the first ncolours. */
static int nearest(const int rgb[3], int ncolours)
{
	int best = 0, from = ncolours >= 256 ? 16 : 0, to = ncolours >= 256 ? 256 : ncolours;
	long best_d = -1;

	for (int i = from; i < to; i++) {
		int p[3];
		long d = 0;

		index_rgb(i, p);
		for (int k = 0; k < 3; k++)
			d += (long)(p[k] - rgb[k]) * (p[k] - rgb[k]);
		if (best_d < 0 || d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

int theme_fit_colour(const struct tcolour *c, int ncolours)
{
	int rgb[3];

	if (c->kind == TC_DEFAULT)
		return -1;
	/* direct-colour terminfo (xterm-direct) keeps only 0-7 as palette
	 * entries; any larger value is an RGB triple */
	if (c->kind == TC_INDEX && c->index < (ncolours >= 0x1000000 ? 8 : ncolours))
		return c->index;
	if (c->kind == TC_INDEX)
		index_rgb(c->index, rgb);
	else
		rgb[0] = c->r, rgb[1] = c->g, rgb[2] = c->b;
	if (ncolours >= 0x1000000) /* direct colour: the value is the colour */
		return rgb[0] << 16 | rgb[1] << 8 | rgb[2];
	return nearest(rgb, ncolours);
}

static int curses_attrs(unsigned a)
{
	return (a & TA_BOLD ? A_BOLD : 0) | (a & TA_DIM ? A_DIM : 0) |
	       (a & TA_UNDERLINE ? A_UNDERLINE : 0) | (a & TA_REVERSE ? A_REVERSE : 0) |
	       (a & TA_ITALIC ? A_ITALIC : 0);
}

static void apply(void)
{
	for (int r = 0; r < NROLES; r++) {
		/* roles the theme leaves out keep the built-in default's style */
		const struct tstyle *s = spec.role[r].set ? &spec.role[r] : &fallback.role[r];

		if (!colour) {
			attrs[r] = curses_attrs(mono.role[r].attrs);
			continue;
		}
		attrs[r] = curses_attrs(s->attrs);
		if (s->fg.kind != TC_DEFAULT || s->bg.kind != TC_DEFAULT) {
			init_extended_pair(r + 1, theme_fit_colour(&s->fg, COLORS),
					   theme_fit_colour(&s->bg, COLORS));
			attrs[r] |= COLOR_PAIR(r + 1);
		}
	}
	bkgdset(' ' | attrs[ROLE_NORMAL]); /* blank cells take the normal role too */
}

void theme_apply(void)
{
	const char *nc = getenv("NO_COLOR");

	parse_builtin("default", &fallback);
	parse_builtin("mono", &mono);
	colour = has_colors() && !(nc && *nc);
	if (colour) {
		start_color(); /* sets COLORS */
		use_default_colors();
		colour = COLORS >= 8;
	}
	started = true;
	apply();
}

static int cmp_names(const void *a, const void *b)
{
	const char *x = a, *y = b;

	/* default first, then by name */
	return strcmp(x, "default") ? (strcmp(y, "default") ? strcmp(x, y) : 1) : -1;
}

/* Every theme name: built in or found as NAME.theme, sorted, unique. */
static int list_themes(char names[MAX_THEMES][64])
{
	char dirs[3][PATH_MAX];
	int nd = theme_dirs(dirs), n = 0;

	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		snprintf(names[n++], 64, "%s", builtins[i].name);
	for (int d = 0; d < nd; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *e;

		while (dir && (e = readdir(dir)) && n < MAX_THEMES) {
			size_t len = strlen(e->d_name);
			int k;

			if (len < 7 || len > 63 || strcmp(e->d_name + len - 6, ".theme"))
				continue;
			e->d_name[len - 6] = '\0';
			for (k = 0; k < n && strcmp(names[k], e->d_name); k++)
				;
			if (k == n && valid_name(e->d_name))
				snprintf(names[n++], 64, "%.63s", e->d_name);
		}
		if (dir)
			closedir(dir);
	}
	qsort(names, n, sizeof(names[0]), cmp_names);
	return n;
}

const char *theme_next(void)
{
	char names[MAX_THEMES][64], err[256];
	int n = list_themes(names), i;

	for (i = 0; i < n && strcmp(names[i], current); i++)
		;
	if (theme_load(names[(i + 1) % n], err, sizeof(err)))
		log_msg("%s", err);
	if (started)
		apply();
	return current;
}

int theme_attr(enum role r)
{
	return attrs[r];
}

const char *theme_names(void)
{
	static char buf[MAX_THEMES * 66];
	char names[MAX_THEMES][64];
	int n = list_themes(names);
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? ", " : "", names[i]);
	return buf;
}

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/note.h"
#include "tui/conffile.h"
#include "tui/themefile.h"

static const char *const role_names[NROLES] = {
	[ROLE_NORMAL] = "normal", [ROLE_TITLE] = "title", [ROLE_HEADER] = "header",
	[ROLE_SORTED] = "sorted", [ROLE_SELECTED] = "selected", [ROLE_STATUS] = "status",
	[ROLE_HINT] = "hint", [ROLE_HINT_KEY] = "hint_key", [ROLE_DIM] = "dim",
	[ROLE_WARN] = "warn", [ROLE_CRIT] = "crit", [ROLE_BAR] = "bar", [ROLE_TAB] = "tab",
	[ROLE_TAB_ACTIVE] = "tab_active", [ROLE_HEAT0] = "heat0", [ROLE_HEAT1] = "heat1",
	[ROLE_HEAT2] = "heat2", [ROLE_HEAT3] = "heat3", [ROLE_HEAT4] = "heat4",
	[ROLE_FLAME_USER] = "flame_user", [ROLE_FLAME_KERNEL] = "flame_kernel",
	[ROLE_FLAME_OTHER] = "flame_other", [ROLE_FLAME_SELECTED] = "flame_selected",
	[ROLE_FLAME_MATCH] = "flame_match",
};

/* The 16 colours every colour terminal names (their shades are its own). */
static const char *const colour_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue",
	"bright-magenta", "bright-cyan", "bright-white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", TA_BOLD }, { "dim", TA_DIM }, { "underline", TA_UNDERLINE },
	{ "reverse", TA_REVERSE }, { "italic", TA_ITALIC }, { "none", 0 },
};

const char *role_name(enum role r)
{
	return role_names[r];
}

/* A field of at most 63 bytes, trimmed; false if longer. */
static bool field(const char *s, size_t n, char *out)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n > 63)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : isxdigit((unsigned char)c) ? (tolower(c) - 'a' + 10) : -1;
}

static bool parse_colour(const char *s, struct tcolour *c)
{
	memset(c, 0, sizeof(*c));
	if (!*s || !strcmp(s, "default") || !strcmp(s, "-"))
		return true;
	if (s[0] == '#') {
		int v[6];

		if (strlen(s) != 7)
			return false;
		for (int i = 0; i < 6; i++)
			if ((v[i] = hexval(s[i + 1])) < 0)
				return false;
		c->kind = TC_RGB;
		c->r = v[0] * 16 + v[1];
		c->g = v[2] * 16 + v[3];
		c->b = v[4] * 16 + v[5];
		return true;
	}
	if (isdigit((unsigned char)s[0])) {
		char *end;
		long n = strtol(s, &end, 10);

		if (*end || n < 0 || n > 255)
			return false;
		c->kind = TC_INDEX;
		c->index = n;
		return true;
	}
	for (int i = 0; i < 16; i++)
		if (!strcmp(s, colour_names[i]) ||
		    (i == 8 && (!strcmp(s, "gray") || !strcmp(s, "grey")))) {
			c->kind = TC_INDEX;
			c->index = i;
			return true;
		}
	return false;
}

static bool parse_attrs(const char *s, unsigned *attrs)
{
	char word[64];

	*attrs = 0;
	while (*s) {
		size_t n = strcspn(s, "|+ ");

		if (n) {
			size_t i, k = sizeof(attr_names) / sizeof(attr_names[0]);

			if (n >= sizeof(word))
				return false;
			memcpy(word, s, n);
			word[n] = '\0';
			for (i = 0; i < k && strcmp(word, attr_names[i].name); i++)
				;
			if (i == k)
				return false;
			*attrs |= attr_names[i].bit;
		}
		s += n + (s[n] != '\0');
	}
	return true;
}

/* Quote a piece of input in a message: printable ASCII, at most 24 bytes. */
/* One line without its newline; returns a message or NULL when fine. */
static const char *parse_line(const char *s, size_t n, struct theme_spec *out, char *msg,
			      size_t msglen)
{
	const char *eq, *comma1, *comma2, *end, *why;
	char name[64], fg[64], bg[64], at[64], q[32];
	struct tstyle st = { .set = true };
	int r;

	if ((why = conf_content(s, n, &s, &end)))
		return why;
	if (s == end)
		return NULL;
	eq = memchr(s, '=', end - s);
	if (!eq)
		return "expected 'role = fg,bg,attrs'";
	if (!field(s, eq - s, name))
		return "role name too long";
	for (r = 0; r < NROLES && strcmp(name, role_names[r]); r++)
		;
	if (r == NROLES) {
		conf_quote(q, sizeof(q), name, strlen(name));
		snprintf(msg, msglen, "unknown role '%s'", q);
		return msg;
	}
	eq++;
	comma1 = memchr(eq, ',', end - eq);
	comma2 = comma1 ? memchr(comma1 + 1, ',', end - comma1 - 1) : NULL;
	if (comma2 && memchr(comma2 + 1, ',', end - comma2 - 1))
		return "more than three fields";
	if (!field(eq, (comma1 ? comma1 : end) - eq, fg) ||
	    !field(comma1 ? comma1 + 1 : end, comma1 ? (comma2 ? comma2 : end) - comma1 - 1 : 0, bg) ||
	    !field(comma2 ? comma2 + 1 : end, comma2 ? end - comma2 - 1 : 0, at))
		return "field too long";
	if (!parse_colour(fg, &st.fg) || !parse_colour(bg, &st.bg)) {
		const char *bad = parse_colour(fg, &st.fg) ? bg : fg;

		conf_quote(q, sizeof(q), bad, strlen(bad));
		snprintf(msg, msglen, "bad colour '%s' (#rrggbb, 0-255, a name, or default)", q);
		return msg;
	}
	if (!parse_attrs(at, &st.attrs)) {
		conf_quote(q, sizeof(q), at, strlen(at));
		snprintf(msg, msglen, "bad attributes '%s' (bold|dim|underline|reverse|italic)", q);
		return msg;
	}
	out->role[r] = st;
	return NULL;
}

/* conf_lines' callback */
static const char *theme_line(void *ctx, const char *s, size_t n, char *msg, size_t msglen)
{
	return parse_line(s, n, ctx, msg, msglen);
}

int theme_parse(const char *text, size_t len, struct theme_spec *out, theme_warn_fn warn,
		void *ctx)
{
	memset(out, 0, sizeof(*out));
	return conf_lines(text, len, theme_line, out, warn, ctx);
}

/* Theme files: good, partial and hostile input, and colour fitting to
 * what a terminal has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tui/theme.h"
#include "tui/themefile.h"

struct warns {
	int n;
	int line[16];
	char msg[16][160];
};

static void collect(void *ctx, int line, const char *msg)
{
	struct warns *w = ctx;

	if (w->n < 16) {
		w->line[w->n] = line;
		snprintf(w->msg[w->n], sizeof(w->msg[0]), "%s", msg);
	}
	w->n++;
}

static int parse(const char *text, size_t len, struct theme_spec *s, struct warns *w)
{
	memset(w, 0, sizeof(*w));
	return theme_parse(text, len, s, collect, w);
}

static void good(void **state)
{
	const char *t = "# a comment\n"
			"title = #ff8000, default, bold|underline   # trailing comment\n"
			"header=black,green\r\n"
			"  heat4 = 196 , 17 , reverse+italic\n"
			"dim = bright-black\n"
			"\n";
	struct theme_spec s;
	struct warns w;

	(void)state;
	assert_int_equal(parse(t, strlen(t), &s, &w), 0);
	assert_true(s.role[ROLE_TITLE].set);
	assert_int_equal(s.role[ROLE_TITLE].fg.kind, TC_RGB);
	assert_int_equal(s.role[ROLE_TITLE].fg.r, 0xff);
	assert_int_equal(s.role[ROLE_TITLE].fg.g, 0x80);
	assert_int_equal(s.role[ROLE_TITLE].fg.b, 0);
	assert_int_equal(s.role[ROLE_TITLE].bg.kind, TC_DEFAULT);
	assert_int_equal(s.role[ROLE_TITLE].attrs, TA_BOLD | TA_UNDERLINE);
	assert_int_equal(s.role[ROLE_HEADER].fg.index, 0);       /* CRLF line */
	assert_int_equal(s.role[ROLE_HEADER].bg.index, 2);
	assert_int_equal(s.role[ROLE_HEAT4].fg.index, 196);
	assert_int_equal(s.role[ROLE_HEAT4].bg.index, 17);
	assert_int_equal(s.role[ROLE_HEAT4].attrs, TA_REVERSE | TA_ITALIC);
	assert_int_equal(s.role[ROLE_DIM].fg.index, 8);
	assert_false(s.role[ROLE_NORMAL].set);                   /* left to the fallback */
	assert_string_equal(role_name(ROLE_HINT_KEY), "hint_key");
}

static void partial_and_bad(void **state)
{
	const char *t = "title = red\n"
			"nope = red\n"
			"header\n"
			"sorted = 256\n"
			"selected = #12345\n"
			"status = red,blue,blink\n"
			"bar = red,blue,bold,extra\n"
			"warn = ,,bold\n";
	struct theme_spec s;
	struct warns w;

	(void)state;
	assert_int_equal(parse(t, strlen(t), &s, &w), 6);
	assert_int_equal(w.line[0], 2);
	assert_string_equal(w.msg[0], "unknown role 'nope'");
	assert_int_equal(w.line[1], 3);
	assert_int_equal(w.line[2], 4);
	assert_int_equal(w.line[3], 5);
	assert_int_equal(w.line[4], 6);
	assert_string_equal(w.msg[4], "bad attributes 'blink' (bold|dim|underline|reverse|italic)");
	assert_int_equal(w.line[5], 7);
	assert_true(s.role[ROLE_TITLE].set);                     /* good lines still count */
	assert_false(s.role[ROLE_SORTED].set);                   /* bad ones do not */
	assert_false(s.role[ROLE_STATUS].set);
	assert_true(s.role[ROLE_WARN].set);
	assert_int_equal(s.role[ROLE_WARN].attrs, TA_BOLD);
}

static void hostile(void **state)
{
	size_t big = 1 << 20;
	char *t = malloc(big);
	struct theme_spec s;
	struct warns w;

	(void)state;
	assert_non_null(t);
	memset(t, 'x', big);                                     /* one 1 MiB line */
	assert_int_equal(parse(t, big, &s, &w), 1);
	assert_string_equal(w.msg[0], "line too long");
	for (size_t i = 0; i < big; i++)                         /* binary junk */
		t[i] = (char)(i * 2654435761u >> 13);
	parse(t, big, &s, &w);
	assert_true(w.n > 0);
	memcpy(t, "title = red\0, blue\n", 19);                  /* NUL inside a line */
	assert_int_equal(parse(t, 19, &s, &w), 1);
	assert_string_equal(w.msg[0], "binary data");
	assert_int_equal(parse("", 0, &s, &w), 0);               /* empty file */
	assert_int_equal(parse("title = \x1b[31m\n", 13, &s, &w), 1);
	assert_null(strchr(w.msg[0], '\x1b'));                   /* quoted input is printable */
	free(t);
}

static void fitting(void **state)
{
	struct tcolour def = { .kind = TC_DEFAULT }, red = { .kind = TC_INDEX, .index = 1 },
		       idx196 = { .kind = TC_INDEX, .index = 196 },
		       orange = { .kind = TC_RGB, .r = 0xff, .g = 0x87, .b = 0 },
		       white = { .kind = TC_RGB, .r = 0xf0, .g = 0xf0, .b = 0xf0 };

	(void)state;
	assert_int_equal(theme_fit_colour(&def, 256), -1);
	assert_int_equal(theme_fit_colour(&red, 8), 1);          /* palette colours stay */
	assert_int_equal(theme_fit_colour(&idx196, 256), 196);
	assert_int_equal(theme_fit_colour(&idx196, 16), 9);      /* 255,0,0 -> bright red */
	assert_int_equal(theme_fit_colour(&idx196, 8), 1);       /* -> red */
	assert_int_equal(theme_fit_colour(&orange, 256), 208);   /* exact cube entry */
	assert_int_equal(theme_fit_colour(&orange, 1 << 24), 0xff8700); /* direct colour */
	assert_int_equal(theme_fit_colour(&red, 1 << 24), 1);          /* palette 0-7 stay */
	assert_int_equal(theme_fit_colour(&idx196, 1 << 24), 0xff0000); /* not RGB 0,0,196 */
	assert_int_equal(theme_fit_colour(&white, 256), 255);    /* nearest gray */
	assert_int_equal(theme_fit_colour(&white, 8), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(partial_and_bad),
		cmocka_unit_test(hostile),
		cmocka_unit_test(fitting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

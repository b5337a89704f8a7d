/* The sanitizer and display widths: escapes, C1, invalid UTF-8, wide chars. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "views/text.h"

static void expect(const char *in, size_t len, const char *want)
{
	char *got = text_sanitize(in, len);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void escapes(void **state)
{
	(void)state;
	expect("plain", 5, "plain");
	expect("\x1b]0;pwned\x07", 10, "\\x1b]0;pwned\\x07");       /* OSC title */
	expect("\x1b[2J\x1b[H", 7, "\\x1b[2J\\x1b[H");               /* clear screen */
	expect("a\nb\tc\rd", 7, "a\\x0ab\\x09c\\x0dd");
	expect("del\x7f", 4, "del\\x7f");
	expect("nul\0x", 5, "nul\\x00x");                            /* embedded NUL */
	expect("\xc2\x9b" "31m", 5, "\\x9b31m");                     /* C1 CSI as UTF-8 */
	expect("\xc2\x85", 2, "\\x85");                              /* C1 NEL */
}

static void invalid_utf8(void **state)
{
	(void)state;
	expect("\xff", 1, "\xef\xbf\xbd");
	expect("a\x9b" "b", 3, "a\xef\xbf\xbd" "b");                 /* raw C1 byte */
	expect("\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd");          /* overlong '/' */
	expect("\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
	expect("\xe2\x82", 2, "\xef\xbf\xbd\xef\xbf\xbd");          /* truncated */
	expect("\xf4\x90\x80\x80", 4,
	       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* > U+10FFFF */
	expect("caf\xc3\xa9", 5, "caf\xc3\xa9");                     /* valid stays */
}

static void widths(void **state)
{
	int w;

	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("caf\xc3\xa9"), 4);
	assert_int_equal(text_width("\xe6\x97\xa5\xe6\x9c\xac"), 4); /* 日本: two wide */
	assert_int_equal(text_fit("\xe6\x97\xa5\xe6\x9c\xac", 3, &w), 3); /* only 日 fits */
	assert_int_equal(w, 2);
	assert_int_equal(text_fit("abcdef", 4, &w), 4);
	assert_int_equal(w, 4);
	assert_int_equal(text_fit("ab", 10, &w), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes),
		cmocka_unit_test(invalid_utf8),
		cmocka_unit_test(widths),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}

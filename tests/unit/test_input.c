/* Escape sequences: the common terminals' forms of the editing and
 * function keys decode to curses keys, mouse reports to events; unknown,
 * cut-short and overlong sequences are dropped whole; Esc alone stays Esc, and a key typed right
 * after it is not lost. */
#include <curses.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "tui/input.h"

struct bytes {
	const char *s;
	size_t len, pos;
};

static int next_byte(void *ctx, int wait_ms)
{
	struct bytes *b = ctx;

	(void)wait_ms;
	return b->pos < b->len ? (unsigned char)b->s[b->pos++] : -1;
}

/* Decode s (after its first byte); all of it must be consumed, and
 * nothing is left over. */
static int decode(const char *s)
{
	struct bytes b = { s, strlen(s), 1 };
	int pending, key = input_decode((unsigned char)s[0], next_byte, &b, &pending);

	assert_int_equal(b.pos, b.len);
	assert_int_equal(pending, -1);
	return key;
}

/* Decode s; the byte left over for the caller. */
static int left_over(const char *s, int want_key)
{
	struct bytes b = { s, strlen(s), 1 };
	int pending;

	assert_int_equal(input_decode((unsigned char)s[0], next_byte, &b, &pending), want_key);
	assert_int_equal(b.pos, b.len);
	return pending;
}

static void editing_keys(void **state)
{
	static const struct {
		const char *seq;
		int key;
	} forms[] = {
		{ "\e[1~", KEY_HOME }, { "\e[7~", KEY_HOME }, { "\e[H", KEY_HOME }, { "\eOH", KEY_HOME },
		{ "\e[4~", KEY_END }, { "\e[8~", KEY_END }, { "\e[F", KEY_END }, { "\eOF", KEY_END },
		{ "\e[5~", KEY_PPAGE }, { "\e[6~", KEY_NPAGE }, { "\e[2~", KEY_IC }, { "\e[3~", KEY_DC },
		{ "\e[A", KEY_UP }, { "\eOB", KEY_DOWN }, { "\e[C", KEY_RIGHT }, { "\eOD", KEY_LEFT },
		{ "\e[1;5C", KEY_RIGHT }, /* xterm, Ctrl held */
		{ "\e[7$", KEY_HOME }, { "\e[8^", KEY_END }, /* rxvt, Shift / Ctrl held */
		{ "\e[Z", KEY_BTAB }, { "\eOM", KEY_ENTER },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		assert_int_equal(decode(forms[i].seq), forms[i].key);
}

static void function_keys(void **state)
{
	static const char *const vt220[12] = { "\e[11~", "\e[12~", "\e[13~", "\e[14~", "\e[15~",
					       "\e[17~", "\e[18~", "\e[19~", "\e[20~", "\e[21~",
					       "\e[23~", "\e[24~" };
	static const char *const ss3[4] = { "\eOP", "\eOQ", "\eOR", "\eOS" };
	static const char *const linux_console[5] = { "\e[[A", "\e[[B", "\e[[C", "\e[[D", "\e[[E" };

	(void)state;
	for (int i = 0; i < 12; i++)
		assert_int_equal(decode(vt220[i]), KEY_F(i + 1));
	for (int i = 0; i < 4; i++) {
		assert_int_equal(decode(ss3[i]), KEY_F(i + 1));
		assert_int_equal(decode((const char *[]){ "\e[1;2P", "\e[1;2Q", "\e[1;2R", "\e[1;2S" }[i]),
				 KEY_F(i + 1));
	}
	for (int i = 0; i < 5; i++)
		assert_int_equal(decode(linux_console[i]), KEY_F(i + 1));
}

static void unknown_dropped(void **state)
{
	(void)state;
	assert_int_equal(decode("\e[99~"), INPUT_NONE);
	assert_int_equal(decode("\e[E"), INPUT_NONE);          /* keypad 5 */
	assert_int_equal(decode("\e[?1;2c"), INPUT_NONE);      /* a device report */
	assert_int_equal(decode("\eOj"), INPUT_NONE);          /* keypad '*' */
	assert_int_equal(decode("\e[12"), INPUT_NONE);         /* cut short */
	assert_int_equal(decode("\e[" "1234567890123456789012345678901234567890~"), INPUT_NONE);
}

static void plain_keys(void **state)
{
	(void)state;
	assert_int_equal(decode("\e"), 27);
	/* Esc, then a key at once: both arrive */
	assert_int_equal(left_over("\ex", 27), 'x');
	assert_int_equal(left_over("\e\e", 27), 27);
	assert_int_equal(left_over("\eO", 27), 'O');
	assert_int_equal(decode("q"), 'q');
	assert_int_equal(decode("4"), '4');
	assert_int_equal(input_decode(KEY_END, next_byte, &(struct bytes){ "", 0, 0 }, &(int){ 0 }), KEY_END);
	/* rxvt's terminfo names ESC [ 1 ~ and ESC [ 4 ~ Find and Select */
	assert_int_equal(input_decode(KEY_FIND, next_byte, &(struct bytes){ "", 0, 0 }, &(int){ 0 }), KEY_HOME);
	assert_int_equal(input_decode(KEY_SELECT, next_byte, &(struct bytes){ "", 0, 0 }, &(int){ 0 }), KEY_END);
}

static void expect_mouse(int key, int button, int x, int y, bool press)
{
	const struct mouse_event *m = input_mouse();

	assert_int_equal(key, INPUT_MOUSE);
	assert_int_equal(m->button, button);
	assert_int_equal(m->x, x);
	assert_int_equal(m->y, y);
	assert_int_equal(m->press, press);
}

/* Reports: SGR (cells from 1, M press, m release, modifiers dropped) and
 * X10 (three bytes offset by 32); broken ones are dropped whole. */
static void mouse_reports(void **state)
{
	(void)state;
	expect_mouse(decode("\e[<0;10;5M"), 0, 9, 4, true);
	expect_mouse(decode("\e[<0;10;5m"), 0, 9, 4, false);
	expect_mouse(decode("\e[<65;1;1M"), 65, 0, 0, true);   /* wheel down */
	expect_mouse(decode("\e[<20;300;200M"), 0, 299, 199, true); /* ctrl+shift: left */
	expect_mouse(decode("\e[M !!"), 0, 0, 0, true);        /* X10: left at 1,1 */
	expect_mouse(decode("\e[M#!!"), 0, 0, 0, false);       /* X10: a release */
	assert_int_equal(decode("\e[<0;0;5M"), INPUT_NONE);     /* no cell 0 */
	assert_int_equal(decode("\e[<0;5M"), INPUT_NONE);       /* a field short */
	assert_int_equal(decode("\e[<0;5;5;5M"), INPUT_NONE);   /* a field more */
	assert_int_equal(decode("\e[<0;5;5X"), INPUT_NONE);
	assert_int_equal(decode("\e[<0;5;5"), INPUT_NONE);      /* cut short */
	assert_int_equal(decode("\e[<0;99999999999999999999;5M"), INPUT_MOUSE); /* clamped */
	assert_true(input_mouse()->x < 100000);
	assert_int_equal(decode("\e[M\x01!!"), INPUT_NONE);    /* X10 below its offset */
}

/* curses knows a kmous prefix (ESC [ < in xterm-256color, ESC [ M in
 * older entries) and hands the rest of the report over as bytes. */
static void mouse_after_kmous(void **state)
{
	struct bytes sgr = { "0;10;5M", 7, 0 }, x10 = { " !!", 3, 0 }, up = { "64;1;1m", 7, 0 };
	int pending;

	(void)state;
	expect_mouse(input_decode(KEY_MOUSE, next_byte, &sgr, &pending), 0, 9, 4, true);
	assert_int_equal(sgr.pos, sgr.len);
	expect_mouse(input_decode(KEY_MOUSE, next_byte, &x10, &pending), 0, 0, 0, true);
	assert_int_equal(x10.pos, x10.len);
	expect_mouse(input_decode(KEY_MOUSE, next_byte, &up, &pending), 64, 0, 0, false);
	assert_int_equal(up.pos, up.len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(editing_keys),
		cmocka_unit_test(function_keys),
		cmocka_unit_test(unknown_dropped),
		cmocka_unit_test(plain_keys),
		cmocka_unit_test(mouse_reports),
		cmocka_unit_test(mouse_after_kmous),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include <curses.h>
#include <stdbool.h>
#include "tui/input.h"

/* The bytes of a sequence arrive together; this only covers a slow link
 * splitting one. Esc alone is not delayed by it: curses has already
 * waited ESCDELAY for the byte after ESC. */
#define SEQ_WAIT_MS 25
#define SEQ_MAX 256  /* bytes read of one sequence before giving up on it */

static struct mouse_event last_mouse;

const struct mouse_event *input_mouse(void)
{
	return &last_mouse;
}

/* SGR's "b;x;y" then M (press) or m (release), first byte c already read;
 * x and y count from 1. Modifier bits (shift 4, meta 8, ctrl 16) are
 * dropped, motion (32) is not asked for. */
static int sgr_mouse(int c, input_next_fn next, void *ctx)
{
	long v[3] = { 0, 0, 0 };
	int i = 0;
	bool ok = true;

	/* to the final byte, so a report that does not hold is dropped whole */
	for (int len = 0; c >= 0 && len < SEQ_MAX; c = next(ctx, SEQ_WAIT_MS), len++) {
		if (c >= '0' && c <= '9') {
			if (v[i] < 10000) /* past five digits the rest are ignored */
				v[i] = v[i] * 10 + (c - '0');
		} else if (c == ';') {
			ok = ok && i < 2;
			i += i < 2;
		} else if (c >= 0x40 && c <= 0x7e) {
			if (!ok || i != 2 || !v[1] || !v[2] || (c != 'M' && c != 'm'))
				return INPUT_NONE;
			last_mouse.button = (int)(v[0] & ~(4 | 8 | 16 | 32));
			last_mouse.x = (int)v[1] - 1;
			last_mouse.y = (int)v[2] - 1;
			last_mouse.press = c == 'M';
			return INPUT_MOUSE;
		} else {
			return INPUT_NONE;
		}
	}
	return INPUT_NONE;
}

/* X10: three bytes, button + 32 (already read as b), x + 33, y + 33;
 * button 3 is a release */
static int x10_mouse(int b, input_next_fn next, void *ctx)
{
	int x = next(ctx, SEQ_WAIT_MS), y = next(ctx, SEQ_WAIT_MS);

	if (b < 32 || x < 33 || y < 33)
		return INPUT_NONE;
	b -= 32;
	last_mouse.press = (b & 3) != 3;
	last_mouse.button = (b & 3) == 3 ? 0 : b & ~(4 | 8 | 16 | 32);
	last_mouse.x = x - 33;
	last_mouse.y = y - 33;
	return INPUT_MOUSE;
}

/* ESC [ n ~ (VT220, xterm, linux console; rxvt ends with $ ^ @ when a
 * modifier is held). */
static int tilde_key(int n)
{
	switch (n) {
	case 1: case 7: return KEY_HOME;
	case 2: return KEY_IC;
	case 3: return KEY_DC;
	case 4: case 8: return KEY_END;
	case 5: return KEY_PPAGE;
	case 6: return KEY_NPAGE;
	}
	if (n >= 11 && n <= 15)
		return KEY_F(n - 10);
	if (n >= 17 && n <= 21)
		return KEY_F(n - 11);
	if (n == 23 || n == 24)
		return KEY_F(n - 12);
	return INPUT_NONE;
}

/* The final letter of ESC [ ... X or ESC O X; modifiers are ignored. */
static int letter_key(int c)
{
	switch (c) {
	case 'A': return KEY_UP;
	case 'B': return KEY_DOWN;
	case 'C': return KEY_RIGHT;
	case 'D': return KEY_LEFT;
	case 'H': return KEY_HOME;
	case 'F': return KEY_END;
	case 'Z': return KEY_BTAB;
	case 'P': case 'Q': case 'R': case 'S': return KEY_F(c - 'P' + 1);
	}
	return INPUT_NONE;
}

/* After ESC [: parameters and intermediates up to a final byte. */
static int csi(input_next_fn next, void *ctx)
{
	int c = next(ctx, SEQ_WAIT_MS), n = 0, len = 0;
	bool first_param = true;

	if (c == '[') { /* linux console F1-F5: ESC [ [ A..E */
		c = next(ctx, SEQ_WAIT_MS);
		return c >= 'A' && c <= 'E' ? KEY_F(c - 'A' + 1) : INPUT_NONE;
	}
	if (c == 'M') /* X10 mouse report: three bytes follow */
		return x10_mouse(next(ctx, SEQ_WAIT_MS), next, ctx);
	if (c == '<')
		return sgr_mouse(next(ctx, SEQ_WAIT_MS), next, ctx);
	for (; c >= 0 && len < SEQ_MAX; c = next(ctx, SEQ_WAIT_MS), len++) {
		if (c >= '0' && c <= '9') {
			if (first_param && n < 1000)
				n = n * 10 + (c - '0');
		} else if (c == ';' || c == ':') {
			first_param = false;
		} else if (c == '~' || c == '$' || c == '^' || c == '@') {
			return tilde_key(n);
		} else if (c >= 0x40 && c <= 0x7e) {
			return letter_key(c);
		} else if (c < 0x20 || c > 0x3f) {
			return INPUT_NONE; /* not part of a CSI: give up on it */
		} /* other parameter and intermediate bytes (<, ?, space...) */
	}
	return INPUT_NONE; /* cut short or too long */
}

/* The rest of a mouse report after its prefix (curses returns KEY_MOUSE
 * for a terminfo kmous of ESC [ < or ESC [ M, since curses' own mouse
 * is not asked for): SGR "b;x;yM" (or m), or X10's three bytes. */
static int mouse_rest(input_next_fn next, void *ctx)
{
	int c = next(ctx, SEQ_WAIT_MS);

	return c >= '0' && c <= '9' ? sgr_mouse(c, next, ctx) : x10_mouse(c, next, ctx);
}

int input_decode(int first, input_next_fn next, void *ctx, int *pending)
{
	int c;

	*pending = -1;
	switch (first) {
	case KEY_MOUSE: return mouse_rest(next, ctx);
	/* the VT220's Find and Select, and the keypad's corners, stand
	 * where Home, End, PgUp and PgDn are (terminfo kfnd, kslt, ka1...) */
	case KEY_FIND: case KEY_A1: return KEY_HOME;
	case KEY_SELECT: case KEY_C1: return KEY_END;
	case KEY_A3: return KEY_PPAGE;
	case KEY_C3: return KEY_NPAGE;
	}
	if (first != 27)
		return first;
	c = next(ctx, 0);
	if (c < 0)
		return 27;
	if (c == '[')
		return csi(next, ctx);
	if (c == 'O') {
		c = next(ctx, SEQ_WAIT_MS);
		if (c < 0) { /* Esc, then O typed */
			*pending = 'O';
			return 27;
		}
		while (c >= '0' && c <= '9') /* ESC O 5 P: a modifier */
			c = next(ctx, SEQ_WAIT_MS);
		return c == 'M' ? KEY_ENTER : letter_key(c);
	}
	*pending = c;
	return 27;
}

static int curses_next(void *ctx, int wait_ms)
{
	int c;

	(void)ctx;
	timeout(wait_ms);
	c = getch();
	nodelay(stdscr, TRUE);
	return c == ERR ? -1 : c;
}

int input_key(void)
{
	int ch, pending;

	while ((ch = getch()) != ERR) {
		ch = input_decode(ch, curses_next, NULL, &pending);
		if (pending >= 0)
			ungetch(pending);
		if (ch != INPUT_NONE)
			return ch;
	}
	return ERR;
}

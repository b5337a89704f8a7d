#include <curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tui/log.h"
#include "tui/term.h"
#include "tui/theme.h"

static volatile sig_atomic_t active, mouse_on;

/* press and release reports (1000), in SGR form (1006): no motion */
static const char mouse_enable[] = "\033[?1000h\033[?1006h";
static const char mouse_disable[] = "\033[?1006l\033[?1000l";

static void mouse_off(void)
{
	if (!mouse_on)
		return;
	mouse_on = 0;
	/* write(2): this also runs from a fatal signal */
	if (write(STDOUT_FILENO, mouse_disable, sizeof(mouse_disable) - 1) < 0)
		return;
}

void term_stop(void)
{
	if (!active)
		return;
	active = 0;
	curs_set(1);
	mouse_off();
	endwin();
	log_to_screen(false);
}

/* Best effort: endwin is not async-signal-safe, but a crashed ebtop that
 * leaves the terminal raw is worse. The signal is then re-raised with its
 * default action, so the exit status and core dump are the real ones. */
static void on_fatal(int sig)
{
	if (active) {
		active = 0;
		mouse_off();
		endwin();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

bool term_blocks(void)
{
	const char *term = getenv("TERM");

	if (strcmp(nl_langinfo(CODESET), "UTF-8"))
		return false;
	return !term || (strncmp(term, "linux", 5) && strncmp(term, "vt", 2));
}

int term_start(bool mouse)
{
	static const int fatal[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGQUIT };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
	atexit(term_stop);
	/* newterm, unlike initscr, reports an unusable TERM instead of exiting */
	if (!newterm(NULL, stdout, stdin))
		return -1;
	active = 1;
	log_to_screen(true);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	theme_apply();
	if (mouse) {
		fflush(stdout);
		if (write(STDOUT_FILENO, mouse_enable, sizeof(mouse_enable) - 1) > 0)
			mouse_on = 1;
	}
	return 0;
}

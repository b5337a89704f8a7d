#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/libbpf.h>
#include "tui/log.h"

static bool on_screen, keep;
static char last[256];
static int saved_stderr = -1, capture = -1;

void log_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (on_screen) {
		vsnprintf(last, sizeof(last), fmt, ap);
		last[strcspn(last, "\n")] = '\0';
		if (keep) /* fd 2 is the capture, printed after endwin */
			fprintf(stderr, "ebtop: %s\n", last);
	} else {
		fputs("ebtop: ", stderr);
		vfprintf(stderr, fmt, ap);
		if (!*fmt || fmt[strlen(fmt) - 1] != '\n')
			fputc('\n', stderr);
	}
	va_end(ap);
}

void log_keep(bool on)
{
	keep = on;
}

const char *log_last(void)
{
	return last;
}

void log_clear(void)
{
	last[0] = '\0';
}

void log_to_screen(bool on)
{
	if (on == on_screen)
		return;
	on_screen = on;
	fflush(stderr);
	if (on) {
		capture = memfd_create("ebtop-stderr", MFD_CLOEXEC);
		saved_stderr = dup(STDERR_FILENO);
		if (capture >= 0 && saved_stderr >= 0)
			dup2(capture, STDERR_FILENO);
		return;
	}
	if (saved_stderr < 0)
		return;
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	if (capture >= 0) { /* replay what was written while curses was up */
		char buf[4096];
		ssize_t n;

		lseek(capture, 0, SEEK_SET);
		while ((n = read(capture, buf, sizeof(buf))) > 0)
			if (write(STDERR_FILENO, buf, n) < 0)
				break;
		close(capture);
		capture = -1;
	}
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[256];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	log_msg("libbpf: %s", buf);
	return 0;
}

void log_capture_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}

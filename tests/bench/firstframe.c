/* Start-up on screen: ms from exec of a command on a new 80x24 terminal to
 * its first byte of output (something drawn) and to the first appearance of
 * a marker string (drawn with real data, say a column title that only a
 * reading fills in). Then q is typed and the command's exit awaited,
 * outside the timing. Prints "first_byte_ms marker_ms", or fails if the
 * marker never came within 10 s. */
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	/* the marker may be split across reads: keep the tail of the last */
	char buf[8192], *at;
	size_t keep = 0, mlen;
	double start, first = 0, marked = 0;
	int fd, status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: firstframe marker command [arg...]\n");
		return 2;
	}
	mlen = strlen(argv[1]);
	if (!mlen || mlen > 64)
		return 2;
	start = now_ms();
	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("firstframe: forkpty");
		return 2;
	}
	if (!pid) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	while (!marked && now_ms() - start < 10000) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(fd, buf + keep, sizeof(buf) - keep);
		if (n <= 0)
			break;
		if (!first)
			first = now_ms() - start;
		if (memmem(buf, keep + n, argv[1], mlen))
			marked = now_ms() - start;
		/* the last mlen - 1 bytes may begin the marker */
		at = buf + keep + n - (keep + n < mlen ? keep + n : mlen - 1);
		keep = buf + keep + n - at;
		memmove(buf, at, keep);
	}
	if (write(fd, "q", 1) != 1)
		kill(pid, SIGTERM);
	for (char sink[4096]; read(fd, sink, sizeof(sink)) > 0;)
		;
	waitpid(pid, &status, 0);
	if (!marked) {
		fprintf(stderr, "firstframe: %s never drew \"%s\" (status %d)\n", argv[2], argv[1],
			status);
		return 1;
	}
	printf("%.0f %.0f\n", first, marked);
	return 0;
}

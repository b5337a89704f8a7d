/* Start-up: ms from exec of a command to its first byte of output. The
 * shell's way (date, a pipeline, date again) adds forks of its own, tens of
 * ms on this VM, to the tool being measured; this spawns the command
 * directly and times the first read. Its output is then drained and its
 * exit awaited, outside the timing. Prints the ms, or fails with the
 * command's status if it printed nothing. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

extern char **environ;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	int out[2], status;
	double start, first = 0;
	char buf[4096];
	ssize_t n;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: firstbyte command [arg...]\n");
		return 2;
	}
	if (pipe(out))
		return 2;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	posix_spawn_file_actions_addclose(&fa, out[1]);
	start = now_ms();
	if (posix_spawnp(&pid, argv[1], &fa, NULL, argv + 1, environ)) {
		perror("firstbyte: spawn");
		return 2;
	}
	close(out[1]);
	if (read(out[0], buf, 1) == 1)
		first = now_ms() - start;
	while ((n = read(out[0], buf, sizeof(buf))) > 0)
		;
	waitpid(pid, &status, 0);
	if (!first) {
		fprintf(stderr, "firstbyte: %s printed nothing (status %d)\n", argv[1], status);
		return 1;
	}
	printf("%.0f\n", first);
	return 0;
}

/* Exec storm: N execs of /bin/true (unique argv "bench-<i>") from P parallel
 * forkers, as fast as the machine goes; prints execs per second. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5000, forkers = argc > 2 ? atoi(argv[2]) : 2;
	double t0 = now_s();

	for (int f = 0; f < forkers; f++) {
		if (fork())
			continue;
		for (int i = f; i < n; i += forkers) {
			char arg[32];
			pid_t pid;

			snprintf(arg, sizeof(arg), "bench-%d", i);
			pid = fork();
			if (pid == 0) {
				execl("/bin/true", "/bin/true", arg, (char *)NULL);
				_exit(127);
			}
			waitpid(pid, NULL, 0);
		}
		_exit(0);
	}
	while (wait(NULL) > 0)
		;
	printf("%.0f\n", n / (now_s() - t0));
	return 0;
}

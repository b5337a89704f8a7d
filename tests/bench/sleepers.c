/* Load for benchmarks: N extra live processes, each waking every PERIOD ms
 * (so every one of them runs in every refresh interval: the worst case for
 * per-process tables). Runs until SIGTERM, then takes its children along. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	long period_ms = argc > 2 ? atol(argv[2]) : 500;
	struct timespec ts = { period_ms / 1000, (period_ms % 1000) * 1000000 };
	sigset_t set;
	int sig;

	setpgid(0, 0);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			break;
		}
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				nanosleep(&ts, NULL);
		}
	}
	printf("ready %d\n", n);
	fflush(stdout);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGTERM);
	while (wait(NULL) > 0)
		;
	return 0;
}

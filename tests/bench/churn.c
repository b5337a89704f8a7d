/* Churn: short-lived processes and short TCP connections at fixed rates.
 *   churn SECS PROCS_PER_S CONNS_PER_S
 * One worker forks and execs /bin/true PROCS_PER_S times a second; another
 * makes CONNS_PER_S loopback connections a second (connect, 100 bytes each
 * way, close). Prints what each did. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleep until the i-th tick of a rate that started at t0. */
static void pace(double t0, long i, double per_s)
{
	double wait = t0 + i / per_s - now_s();

	if (wait > 0)
		usleep(wait * 1e6);
}

static long procs(double secs, double per_s)
{
	double t0 = now_s();
	long i = 0;

	for (; now_s() < t0 + secs; i++) {
		pace(t0, i, per_s);
		pid_t pid = fork();

		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	while (wait(NULL) > 0)
		;
	return i;
}

static int move(int from, int to)
{
	char buf[100] = { 0 };
	ssize_t got = 0, r;

	if (write(from, buf, sizeof(buf)) != sizeof(buf))
		return -1;
	for (; got < (ssize_t)sizeof(buf); got += r)
		if ((r = read(to, buf, sizeof(buf) - got)) <= 0)
			return -1;
	return 0;
}

static long conns(double secs, double per_s)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	double t0 = now_s();
	long i = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 128) ||
	    getsockname(lfd, (struct sockaddr *)&a, &len))
		return -1;
	for (; now_s() < t0 + secs; i++) {
		pace(t0, i, per_s);
		int c = socket(AF_INET, SOCK_STREAM, 0), s;

		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) ||
		    (s = accept(lfd, NULL, NULL)) < 0 || move(c, s) || move(s, c))
			return -1;
		close(c);
		close(s);
	}
	return i;
}

int main(int argc, char **argv)
{
	double secs, pps, cps;
	int st;

	if (argc != 4) {
		fprintf(stderr, "usage: churn SECS PROCS_PER_S CONNS_PER_S\n");
		return 2;
	}
	secs = atof(argv[1]);
	pps = atof(argv[2]);
	cps = atof(argv[3]);
	if (fork() == 0) {
		long n = conns(secs, cps);

		printf("%ld connections\n", n);
		fflush(stdout);
		_exit(n < 0);
	}
	printf("%ld processes\n", procs(secs, pps));
	fflush(stdout);
	wait(&st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

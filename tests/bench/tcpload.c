/* Loopback TCP load with known numbers, for tests and benchmarks.
 *   tcpload hold SECS [N]      N connections (default 1) to itself, 1 MiB sent
 *                              one way on the first, then held open; prints
 *                              "client PORT server PORT" of the first, then "ready"
 *   tcpload churn N [PER_S]    N short connections (connect, 100 bytes each
 *                              way, close), at PER_S per second or flat out;
 *                              prints the count done and the rate
 *   tcpload stream BYTES       one connection moving BYTES one way through
 *                              this process; prints MiB/s */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct sockaddr_in loopback(unsigned short port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static unsigned short port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	return getsockname(fd, (struct sockaddr *)&a, &len) ? 0 : ntohs(a.sin_port);
}

static int listener(void)
{
	struct sockaddr_in a = loopback(0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1024)) {
		perror("tcpload: listen");
		exit(1);
	}
	return fd;
}

/* A connected pair through the listener: *c the client end, *s the server's. */
static int pair(int lfd, int *c, int *s)
{
	struct sockaddr_in a = loopback(port_of(lfd));

	*c = socket(AF_INET, SOCK_STREAM, 0);
	if (*c < 0 || connect(*c, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	*s = accept(lfd, NULL, NULL);
	return *s < 0 ? -1 : 0;
}

static int move(int from, int to, size_t n)
{
	static char buf[65536];

	while (n) {
		size_t chunk = n < sizeof(buf) ? n : sizeof(buf);
		ssize_t w = write(from, buf, chunk), r;

		if (w <= 0)
			return -1;
		for (ssize_t got = 0; got < w; got += r) {
			r = read(to, buf, w - got);
			if (r <= 0)
				return -1;
		}
		n -= w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int lfd, c, s;

	if (argc >= 3 && !strcmp(argv[1], "hold")) {
		long n = argc > 3 ? atol(argv[3]) : 1;

		lfd = listener();
		if (pair(lfd, &c, &s) || move(c, s, 1 << 20))
			return 1;
		printf("client %u server %u\n", port_of(c), port_of(lfd));
		for (long i = 1; i < n; i++)
			if (pair(lfd, &c, &s)) {
				perror("tcpload: connection");
				return 1;
			}
		printf("ready\n");
		fflush(stdout);
		sleep(atoi(argv[2]));
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "churn")) {
		long n = atol(argv[2]), done = 0;
		double per_s = argc > 3 ? atof(argv[3]) : 0, t0 = now_s();

		lfd = listener();
		for (; done < n; done++) {
			if (per_s > 0) {
				double due = t0 + done / per_s, wait = due - now_s();

				if (wait > 0)
					usleep(wait * 1e6);
			}
			if (pair(lfd, &c, &s) || move(c, s, 100) || move(s, c, 100))
				break;
			close(c);
			close(s);
		}
		printf("%ld connections in %.2fs\n", done, now_s() - t0);
		return done == n ? 0 : 1;
	}
	if (argc >= 3 && !strcmp(argv[1], "stream")) {
		double t0;

		lfd = listener();
		if (pair(lfd, &c, &s))
			return 1;
		t0 = now_s();
		if (move(c, s, strtoull(argv[2], NULL, 0)))
			return 1;
		printf("%.0f\n", strtoull(argv[2], NULL, 0) / (now_s() - t0) / (1 << 20));
		return 0;
	}
	fprintf(stderr, "usage: tcpload hold SECS | tcpload churn N [PER_S] | tcpload stream BYTES\n");
	return 2;
}

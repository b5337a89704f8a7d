#include <errno.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "harness.h"

static int nr, failed;

bool check(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!cond)
		failed++;
	return cond;
}

void skip(const char *label, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++nr, label, why);
	fflush(stdout);
}

int done(void)
{
	printf("1..%d\n", nr);
	return failed ? 1 : 0;
}

int ebtop_start(struct ebtop *e, const char *const *args)
{
	const char *bin = getenv("EBTOP") ? getenv("EBTOP") : "build/ebtop";
	const char *argv[32] = { bin };
	int fds[2], i;

	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	if (pipe(fds))
		return -errno;
	e->pid = fork();
	if (e->pid < 0)
		return -errno;
	if (e->pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	e->out = fdopen(fds[0], "r");
	return 0;
}

cJSON *ebtop_doc(struct ebtop *e)
{
	char *line = NULL;
	size_t cap = 0;
	cJSON *doc = NULL;

	if (getline(&line, &cap, e->out) > 0)
		doc = cJSON_Parse(line);
	free(line);
	return doc;
}

int ebtop_wait(struct ebtop *e)
{
	int st;

	fclose(e->out);
	if (waitpid(e->pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double spin_until;

static void *spin(void *arg)
{
	volatile unsigned long x = 0;

	(void)arg;
	while (now_s() < spin_until)
		for (int i = 0; i < 100000; i++)
			x++;
	return NULL;
}

static void pin_to(pthread_t t, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % sysconf(_SC_NPROCESSORS_ONLN), &set);
	pthread_setaffinity_np(t, sizeof(set), &set);
}

void pin_self(int cpu)
{
	pin_to(pthread_self(), cpu);
}

pid_t spawn_spinner(int nthreads, double secs, bool pin)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	pthread_t t[64];

	spin_until = now_s() + secs;
	for (int i = 1; i < nthreads && i < 64; i++) {
		pthread_create(&t[i], NULL, spin, NULL);
		if (pin)
			pin_to(t[i], i);
	}
	if (pin)
		pin_self(0);
	spin(NULL);
	for (int i = 1; i < nthreads && i < 64; i++)
		pthread_join(t[i], NULL);
	_exit(0);
}

int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

cJSON *find_pid(cJSON *doc, const char *pane, const char *array, int pid)
{
	cJSON *arr = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, pane), array), *it;

	cJSON_ArrayForEach(it, arr)
		if ((int)num(it, "pid") == pid)
			return it;
	return NULL;
}

double num(cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItem(obj, key);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static socklen_t loopback(int family, unsigned short port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		a->sin6_port = htons(port);
		return sizeof(*a);
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;

	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->sin_port = htons(port);
	return sizeof(*a);
}

int tcp_listen(int family, unsigned short *port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, 0, &ss);
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 128)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = local_port(fd);
	return fd;
}

int tcp_connect(int family, unsigned short port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, port, &ss);
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd >= 0 && connect(fd, (struct sockaddr *)&ss, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

unsigned short local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return 0;
	return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					      : ((struct sockaddr_in *)&ss)->sin_port);
}

int send_all(int fd, size_t n)
{
	static char buf[65536];

	while (n) {
		ssize_t w = write(fd, buf, n < sizeof(buf) ? n : sizeof(buf));

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		n -= w;
	}
	return 0;
}

int recv_all(int fd, size_t n)
{
	static char buf[65536];

	while (n) {
		ssize_t r = read(fd, buf, n < sizeof(buf) ? n : sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n -= r;
	}
	return 0;
}

int netns_private(char *why, size_t len)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd, err = -1;

	if (unshare(CLONE_NEWNET)) {
		snprintf(why, len, "no network namespace of its own: %s", strerror(errno));
		return -1;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd >= 0 && !ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		err = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (err)
		snprintf(why, len, "loopback of its own namespace not up: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	return err;
}

cJSON *find_conn(cJSON *doc, bool closed, int pid, int sport, int dport)
{
	cJSON *tcp = cJSON_GetObjectItem(doc, "tcp"), *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(tcp, closed ? "closed" : "connections"))
		if ((int)num(it, "pid") == pid && (int)num(it, "sport") == sport &&
		    (dport < 0 || (int)num(it, "dport") == dport))
			return it;
	return NULL;
}

bool conn_visited(cJSON *conn, const char *state)
{
	cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(conn, "states"))
		if (cJSON_IsString(it) && !strcmp(it->valuestring, state))
			return true;
	return false;
}

long rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

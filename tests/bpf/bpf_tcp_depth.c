/* TCP in depth against the kernel, in a network namespace of the test's
 * own where ss and nft see only its sockets and rules, and ebtop is
 * filtered to this process:
 * - RTT and congestion window of an idle connection equal what ss -ti
 *   reads from the same socket, and its connect time is small;
 * - with an nftables rule dropping a fifth of the segments a transfer
 *   gets to the receiver, ebtop's retransmission count equals the
 *   kernel's (ss), and its rate saw them;
 * - a connect to a closed port is a failed connect, refused by a reset
 *   received; a close with data unread sends a reset, and the peer's end
 *   says it received one;
 * - a connect whose SYNs are dropped fails as timed out (one SYN retry);
 * - per process: every active open counted once, the two failed ones as
 *   failed. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include "harness.h"

/* What every document read said about this process, summed. */
struct tally {
	double connects, failed, retrans_events;
	bool retrans_rate_seen;    /* a connection row with retrans_per_s > 0 */
};

static struct ebtop e;
static struct tally tally;
static int opens, failed_opens;   /* what the test made */

static void count(cJSON *doc)
{
	cJSON *tcp = cJSON_GetObjectItem(doc, "tcp"), *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(tcp, "processes")) {
		if ((int)num(it, "pid") != getpid())
			continue;
		tally.connects += num(it, "connects");
		tally.failed += num(it, "failed_connects");
		tally.retrans_events += num(it, "retrans_per_s") * num(doc, "interval_s");
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(tcp, "connections"))
		tally.retrans_rate_seen |= num(it, "retrans_per_s") > 0;
}

/* The next document, counted. */
static cJSON *next_doc(void)
{
	cJSON *doc = ebtop_doc(&e);

	if (doc)
		count(doc);
	return doc;
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A document's "time" (RFC 3339, UTC, milliseconds) in seconds. */
static double doc_time(cJSON *doc)
{
	cJSON *t = cJSON_GetObjectItem(doc, "time");
	struct tm tm = { 0 };
	const char *rest;

	if (!cJSON_IsString(t) || !(rest = strptime(t->valuestring, "%Y-%m-%dT%H:%M:%S", &tm)))
		return 0;
	return timegm(&tm) + (*rest == '.' ? atof(rest) : 0);
}

/* The live connection in the first document taken after now: documents
 * queue in the pipe while the test is busy, and an older one would show
 * the connection as it was. */
static cJSON *conn_now(int sport, int dport)
{
	double since = wall_now();

	for (int i = 0; i < 100; i++) {
		cJSON *doc = next_doc(), *c;

		if (!doc)
			return NULL;
		if (doc_time(doc) <= since) {
			cJSON_Delete(doc);
			continue;
		}
		c = cJSON_Duplicate(find_conn(doc, false, getpid(), sport, dport), 1);
		cJSON_Delete(doc);
		return c;
	}
	return NULL;
}

/* A copy of the connection (closed or live, by local and remote port)
 * from the first of up to max documents that lists it, or NULL. */
static cJSON *wait_conn(bool closed, int sport, int dport, int max)
{
	for (int i = 0; i < max; i++) {
		cJSON *doc = next_doc(), *c;

		if (!doc)
			return NULL;
		c = find_conn(doc, closed, getpid(), sport, dport);
		if (c) {
			c = cJSON_Duplicate(c, 1);
			cJSON_Delete(doc);
			return c;
		}
		cJSON_Delete(doc);
	}
	return NULL;
}

static const char *text(cJSON *o, const char *key)
{
	cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* What ss -ti says of the socket on local port sport. */
struct ss_info {
	double rtt_us, rttvar_us;
	unsigned cwnd, retrans;
	bool found;
};

static struct ss_info ss_of(int sport)
{
	struct ss_info in = { 0 };
	char cmd[128], word[256];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ss -tinH '( sport = :%d )' 2>/dev/null", sport);
	f = popen(cmd, "r");
	if (!f)
		return in;
	while (fscanf(f, "%255s", word) == 1) {
		double a, b;
		unsigned x, y;

		if (sscanf(word, "rtt:%lf/%lf", &a, &b) == 2) {
			in.rtt_us = a * 1000;
			in.rttvar_us = b * 1000;
			in.found = true;
		} else if (sscanf(word, "cwnd:%u", &x) == 1) {
			in.cwnd = x;
		} else if (sscanf(word, "retrans:%u/%u", &x, &y) == 2) {
			in.retrans = y; /* in flight now / total */
		}
	}
	pclose(f);
	return in;
}

static int run(const char *cmd)
{
	int st = system(cmd);

	return st == 0 ? 0 : -1;
}

/* A connected pair on loopback: client fd, server (accepted) fd. */
static int pair(int lfd, unsigned short port, int *srv)
{
	int c = tcp_connect(AF_INET, port);

	opens++;
	*srv = c >= 0 ? accept(lfd, NULL, NULL) : -1;
	return c;
}

static void rtt_and_connect(void)
{
	unsigned short port;
	int lfd = tcp_listen(AF_INET, &port), srv, cli = pair(lfd, port, &srv), cport;
	char buf[100] = { 0 };
	struct ss_info ss;
	cJSON *c;

	cport = local_port(cli);
	for (int i = 0; i < 200; i++) /* samples for the RTT estimate */
		if (write(cli, buf, sizeof(buf)) != sizeof(buf) || recv_all(srv, sizeof(buf)) ||
		    write(srv, buf, sizeof(buf)) != sizeof(buf) || recv_all(cli, sizeof(buf)))
			break;
	usleep(100000); /* the last delayed ACK: idle from here on */
	c = conn_now(cport, port);
	ss = ss_of(cport);
	check(c && ss.found, "rtt: the connection in ebtop and in ss");
	if (c && ss.found) {
		double srtt = num(c, "srtt_us");

		check(srtt > 0 && srtt >= ss.rtt_us * 0.8 - 1 && srtt <= ss.rtt_us * 1.2 + 1,
		      "rtt: srtt_us %.0f matches ss's rtt %.0f us within 20%%", srtt, ss.rtt_us);
		check(num(c, "rttvar_us") >= ss.rttvar_us * 0.8 - 1 &&
			      num(c, "rttvar_us") <= ss.rttvar_us * 1.2 + 1,
		      "rtt: rttvar_us %.0f matches ss's %.0f", num(c, "rttvar_us"), ss.rttvar_us);
		check(num(c, "cwnd") == ss.cwnd, "rtt: cwnd %.0f == ss's %u", num(c, "cwnd"), ss.cwnd);
		check(cJSON_IsNumber(cJSON_GetObjectItem(c, "connect_ms")) && num(c, "connect_ms") >= 0 &&
			      num(c, "connect_ms") < 1000,
		      "connect: connect_ms %.3f present, >= 0 and small on loopback", num(c, "connect_ms"));
	}
	cJSON_Delete(c);
	close(cli);
	close(srv);
	close(lfd);
}

/* Moves n bytes from a to b with both non-blocking, in this process; 0,
 * or the bytes that got through. A segment lost again and again waits
 * out a backed-off retransmission timeout: 30 s without progress is
 * failure. */
static size_t transfer(int a, int b, size_t n)
{
	static char buf[65536];
	size_t sent = 0, got = 0;

	fcntl(a, F_SETFL, O_NONBLOCK);
	fcntl(b, F_SETFL, O_NONBLOCK);
	while (got < n) {
		struct pollfd p[2] = { { a, sent < n ? POLLOUT : 0, 0 }, { b, POLLIN, 0 } };
		ssize_t k;

		if (poll(p, 2, 30000) <= 0)
			return got ? got : 1;
		if (p[0].revents & POLLOUT) {
			k = write(a, buf, n - sent < sizeof(buf) ? n - sent : sizeof(buf));
			sent += k > 0 ? k : 0;
		}
		if (p[1].revents & POLLIN) {
			k = read(b, buf, sizeof(buf));
			if (k <= 0)
				return got ? got : 1;
			got += k;
		}
	}
	return 0;
}

static void retransmits(void)
{
	unsigned short port;
	int lfd = tcp_listen(AF_INET, &port), srv, cli = pair(lfd, port, &srv), cport = local_port(cli);
	char rule[256];
	struct ss_info before, after;
	size_t stuck;
	cJSON *c;

	snprintf(rule, sizeof(rule),
		 "nft add table inet ebtop_test && "
		 "nft add chain inet ebtop_test in '{ type filter hook input priority 0; }' && "
		 "nft add rule inet ebtop_test in tcp dport %u numgen random mod 10 '<' 2 drop", port);
	if (run(rule)) {
		skip("retransmits", "nft could not add a rule in the test's namespace");
		close(cli);
		close(srv);
		close(lfd);
		return;
	}
	stuck = transfer(cli, srv, 2 << 20);
	check(!stuck, "retransmits: 2 MiB through a lossy path (got %zu bytes if not)", stuck);
	run("nft delete table inet ebtop_test");
	usleep(300000); /* every segment acked: the count stays */
	before = ss_of(cport);
	c = conn_now(cport, port);
	after = ss_of(cport);
	check(before.retrans > 0 && before.retrans == after.retrans,
	      "retransmits: the kernel counts %u, still %u: the connection is idle", before.retrans,
	      after.retrans);
	check(c && num(c, "retrans") == after.retrans, "retransmits: ebtop's retrans %.0f == ss's %u",
	      c ? num(c, "retrans") : -1, after.retrans);
	check(tally.retrans_rate_seen, "retransmits: a refresh showed a retransmit rate");
	check(tally.retrans_events > 0 && tally.retrans_events <= after.retrans + 0.5,
	      "retransmits: the process's rate over the intervals adds up to %.1f events, 0 < n <= %u "
	      "segments", tally.retrans_events, after.retrans);
	cJSON_Delete(c);
	close(cli);
	close(srv);
	close(lfd);
}

/* A client socket bound to a port of its own first, so its closed record
 * can be found by it: a failed connect leaves no local address. */
static int bound_socket(unsigned short *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = local_port(fd);
	return fd;
}

static int connect_to(int fd, unsigned short port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	return connect(fd, (struct sockaddr *)&a, sizeof(a)) ? -errno : 0;
}

static void refused(void)
{
	unsigned short closed_port, cport;
	int lfd = tcp_listen(AF_INET, &closed_port), fd, err;
	cJSON *c;

	close(lfd); /* a port nobody listens on */
	fd = bound_socket(&cport);
	err = connect_to(fd, closed_port);
	opens++;
	failed_opens++;
	check(err == -ECONNREFUSED, "refused: connect to a closed port: %s", strerror(-err));
	c = wait_conn(true, cport, closed_port, 5);
	check(c && cJSON_IsTrue(cJSON_GetObjectItem(c, "failed")) && !strcmp(text(c, "error"), "refused"),
	      "refused: listed closed, failed, error \"%s\"", c ? text(c, "error") : "?");
	check(c && !strcmp(text(c, "reset"), "received") && !cJSON_GetObjectItem(c, "connect_ms"),
	      "refused: a reset received, no connect time");
	cJSON_Delete(c);
	close(fd);
}

static void reset_sent(void)
{
	unsigned short port;
	int lfd = tcp_listen(AF_INET, &port), srv, cli = pair(lfd, port, &srv), cport = local_port(cli);
	char b[100] = { 0 };
	cJSON *s = NULL, *c = NULL;

	check(write(cli, b, sizeof(b)) == sizeof(b), "reset: the client sends 100 bytes");
	usleep(50000);
	close(srv); /* unread: the kernel resets the connection */
	check(read(cli, b, sizeof(b)) < 0 && errno == ECONNRESET, "reset: the client reads ECONNRESET");
	close(cli);
	for (int i = 0; i < 5 && !(s && c); i++) { /* both ends, in one document or two */
		cJSON *doc = next_doc();

		if (!s)
			s = cJSON_Duplicate(find_conn(doc, true, getpid(), port, cport), 1);
		if (!c)
			c = cJSON_Duplicate(find_conn(doc, true, getpid(), cport, port), 1);
		cJSON_Delete(doc);
	}
	check(s && !strcmp(text(s, "reset"), "sent") && !cJSON_IsTrue(cJSON_GetObjectItem(s, "failed")),
	      "reset: the server's end, closed with data unread, says reset \"%s\"",
	      s ? text(s, "reset") : "?");
	check(c && !strcmp(text(c, "reset"), "received"), "reset: the client's end says \"received\"");
	cJSON_Delete(s);
	cJSON_Delete(c);
	close(lfd);
}

static void timed_out(void)
{
	unsigned short port = 9, cport;
	char rule[256];
	int fd, err;
	struct pollfd p;
	socklen_t len = sizeof(err);
	cJSON *c;

	snprintf(rule, sizeof(rule),
		 "echo 1 > /proc/sys/net/ipv4/tcp_syn_retries && "
		 "nft add table inet ebtop_test && "
		 "nft add chain inet ebtop_test in '{ type filter hook input priority 0; }' && "
		 "nft add rule inet ebtop_test in tcp dport %u drop", port);
	if (run(rule)) {
		skip("timed out connect", "no nft rule or tcp_syn_retries in the test's namespace");
		return;
	}
	fd = bound_socket(&cport);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	err = connect_to(fd, port);
	opens++;
	failed_opens++;
	p = (struct pollfd){ fd, POLLOUT, 0 };
	/* one SYN retry: given up after 1 s + 2 s */
	if (err == -EINPROGRESS && poll(&p, 1, 10000) == 1)
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	check(err == ETIMEDOUT, "timed out: a connect whose SYNs are dropped: %s", strerror(err));
	c = wait_conn(true, cport, port, 20); /* the docs of the wait are queued */
	check(c && cJSON_IsTrue(cJSON_GetObjectItem(c, "failed")) &&
		      !strcmp(text(c, "error"), "timed out") && !*text(c, "reset"),
	      "timed out: listed closed, failed, error \"%s\", no reset", c ? text(c, "error") : "?");
	cJSON_Delete(c);
	close(fd);
	run("nft delete table inet ebtop_test");
}

int main(void)
{
	char pid[16], why[96];
	const char *args[] = { "--json=-", "-d", "0.3", "-v", "tcp", "-p", pid, NULL };

	if (geteuid() != 0) {
		skip("tcp in depth against the kernel", "needs root for BPF");
		return done();
	}
	if (netns_private(why, sizeof(why))) {
		skip("tcp in depth against the kernel", why);
		return done();
	}
	signal(SIGPIPE, SIG_IGN);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (ebtop_start(&e, args)) {
		check(false, "start ebtop");
		return done();
	}
	cJSON_Delete(ebtop_doc(&e)); /* the baseline */
	rtt_and_connect();
	retransmits();
	refused();
	reset_sent();
	timed_out();
	kill(e.pid, SIGTERM);
	for (cJSON *doc; (doc = next_doc());)
		cJSON_Delete(doc);
	check(ebtop_wait(&e) == 0, "ebtop exits 0");
	check(tally.connects == opens && tally.failed == failed_opens,
	      "per process: %.0f active opens counted (%d made), %.0f failed (%d)", tally.connects, opens,
	      tally.failed, failed_opens);
	return done();
}

/* tcp pane against the kernel, on loopback over IPv4 and IPv6: a client
 * sends exactly 10 MiB and receives 1 MiB; ebtop reports both ends with
 * their owners, ports, states and exact byte counts, then lists them as
 * closed with their lifetime. A connection opened before ebtop started is
 * listed with its owner, and a PID filter keeps only that owner's end.
 * Two rounds of 5,000 short connections are all reported closed, none
 * lost, and the second round does not grow ebtop's memory. In a network
 * namespace where nothing else moves, a listener made and closed without a
 * segment, and bytes after a quiet spell, show in the next refresh. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "harness.h"

#define MIB (1024 * 1024)
#define UP (10 * MIB)     /* client -> server */
#define DOWN (1 * MIB)    /* server -> client */

/* A child process driving one socket end, one command at a time. */
struct peer {
	pid_t pid;
	int ctl, rep;
};

struct cmd {
	char op;        /* l(isten) a(ccept) o(pen) s(end) r(eceive) w(ait EOF) c(lose)
			   x (close the listener) q(uit) */
	uint32_t arg;   /* family for l and o (o: port << 8 | family), bytes for s and r */
};

static void peer_main(int ctl, int rep)
{
	int lfd = -1, fd = -1, family = AF_INET;
	struct cmd c;
	uint32_t out;

	while (read(ctl, &c, sizeof(c)) == sizeof(c)) {
		unsigned short port = 0;
		char b;

		out = 0;
		switch (c.op) {
		case 'l':
			family = c.arg;
			lfd = tcp_listen(family, &port);
			out = lfd < 0 ? 0 : port;
			break;
		case 'a':
			fd = accept(lfd, NULL, NULL);
			out = fd >= 0;
			break;
		case 'o':
			fd = tcp_connect(c.arg & 0xff, c.arg >> 8);
			out = fd < 0 ? 0 : local_port(fd);
			break;
		case 's': out = send_all(fd, c.arg) == 0; break;
		case 'r': out = recv_all(fd, c.arg) == 0; break;
		case 'w': out = read(fd, &b, 1) == 0; break;
		case 'c': out = close(fd) == 0; break;
		case 'x': out = close(lfd) == 0; break;
		default: _exit(0);
		}
		if (write(rep, &out, sizeof(out)) != sizeof(out))
			_exit(1);
	}
	_exit(0);
}

static struct peer peer_new(void)
{
	struct peer p = { .pid = -1 };
	int ctl[2], rep[2];

	if (pipe(ctl) || pipe(rep))
		return p;
	p.pid = fork();
	if (p.pid == 0) {
		close(ctl[1]);
		close(rep[0]);
		peer_main(ctl[0], rep[1]);
	}
	close(ctl[0]);
	close(rep[1]);
	p.ctl = ctl[1];
	p.rep = rep[0];
	return p;
}

static void post(struct peer *p, char op, uint32_t arg)
{
	struct cmd c = { op, arg };

	if (write(p->ctl, &c, sizeof(c)) != sizeof(c))
		abort();
}

static uint32_t reply(struct peer *p)
{
	uint32_t v = 0;

	if (read(p->rep, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

static void peer_end(struct peer *p)
{
	post(p, 'q', 0);
	reap(p->pid);
	close(p->ctl);
	close(p->rep);
}

/* Connect client to a new listener in server: returns the client's local
 * port; *sport is the listener's. */
static unsigned short pair(struct peer *srv, struct peer *cli, int family, unsigned short *sport)
{
	unsigned short cport;

	post(srv, 'l', family);
	*sport = reply(srv);
	post(srv, 'a', 0);
	post(cli, 'o', (uint32_t)*sport << 8 | family);
	cport = reply(cli);
	reply(srv);
	return cport;
}

static void transfer(struct peer *srv, struct peer *cli, size_t up, size_t down)
{
	post(cli, 's', up);
	post(srv, 'r', up);
	reply(cli);
	reply(srv);
	post(srv, 's', down);
	post(cli, 'r', down);
	reply(srv);
	reply(cli);
}

static const char *fam_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

static void one_family(int family)
{
	const char *f = fam_name(family);
	struct peer srv = peer_new(), cli = peer_new();
	char pids[32];
	const char *args[] = { "--json=-", "-d", "0.3", "-p", pids, NULL };
	unsigned short sport, cport;
	cJSON *live_c = NULL, *live_s = NULL, *closed_c = NULL, *closed_s = NULL, *doc;
	double moved = 0;
	struct ebtop e;

	snprintf(pids, sizeof(pids), "%d,%d", srv.pid, cli.pid);
	if (ebtop_start(&e, args)) {
		check(false, "%s: start ebtop", f);
		return;
	}
	cJSON_Delete(ebtop_doc(&e)); /* attached */
	cport = pair(&srv, &cli, family, &sport);
	transfer(&srv, &cli, UP, DOWN);
	/* live: wait for a document taken after the transfer */
	for (int i = 0; i < 10 && !(live_c && live_s); i++) {
		doc = ebtop_doc(&e);
		if (!doc)
			break;
		cJSON *c = find_conn(doc, false, cli.pid, cport, sport);

		moved += c ? num(c, "tx_per_s") * num(doc, "interval_s") : 0;
		if (c && num(c, "tx_bytes") == UP) {
			live_c = cJSON_Duplicate(c, 1);
			live_s = cJSON_Duplicate(find_conn(doc, false, srv.pid, sport, cport), 1);
		}
		cJSON_Delete(doc);
	}
	check(live_c && live_s, "%s: both ends listed live with their owner pids", f);
	if (live_c) {
		check(num(live_c, "dport") == sport, "%s: client end's remote port %.0f is the server's %u",
		      f, num(live_c, "dport"), sport);
		check(num(live_c, "rx_bytes") == DOWN, "%s: client rx %.0f == %d", f,
		      num(live_c, "rx_bytes"), DOWN);
		check(!strcmp(cJSON_GetObjectItem(live_c, "state")->valuestring, "ESTABLISHED") &&
			      conn_visited(live_c, "SYN_SENT"),
		      "%s: client end ESTABLISHED, came through SYN_SENT", f);
		check(!strcmp(cJSON_GetObjectItem(live_c, "family")->valuestring,
			      family == AF_INET6 ? "ipv6" : "ipv4") &&
			      !strcmp(cJSON_GetObjectItem(live_c, "daddr")->valuestring,
				      family == AF_INET6 ? "::1" : "127.0.0.1"),
		      "%s: family and loopback address", f);
		check(moved > UP * 0.99 && moved < UP * 1.01,
		      "%s: tx rate x interval sums to %.0f, within 1%% of %d", f, moved, UP);
	}
	if (live_s) {
		check(num(live_s, "tx_bytes") == DOWN && num(live_s, "rx_bytes") == UP,
		      "%s: server end tx %.0f rx %.0f == %d / %d", f, num(live_s, "tx_bytes"),
		      num(live_s, "rx_bytes"), DOWN, UP);
		check(num(live_s, "dport") == cport && conn_visited(live_s, "SYN_RECV"),
		      "%s: server end's remote port is the client's, came through SYN_RECV", f);
	}
	cJSON_Delete(live_c);
	cJSON_Delete(live_s);
	usleep(200000);
	/* the client closes first; the server sees EOF and closes */
	post(&cli, 'c', 0);
	post(&srv, 'w', 0);
	reply(&cli);
	reply(&srv);
	post(&srv, 'c', 0);
	reply(&srv);
	usleep(700000);
	kill(e.pid, SIGTERM);
	while ((doc = ebtop_doc(&e))) {
		cJSON *c = find_conn(doc, true, cli.pid, cport, sport), *s = find_conn(doc, true, srv.pid, sport, cport);

		if (c && !closed_c)
			closed_c = cJSON_Duplicate(c, 1);
		if (s && !closed_s)
			closed_s = cJSON_Duplicate(s, 1);
		cJSON_Delete(doc);
	}
	check(ebtop_wait(&e) == 0, "%s: ebtop exits 0", f);
	check(closed_c && closed_s, "%s: both ends listed as closed", f);
	if (closed_c) {
		check(num(closed_c, "tx_bytes") == UP && num(closed_c, "rx_bytes") == DOWN,
		      "%s: closed client totals tx %.0f rx %.0f", f, num(closed_c, "tx_bytes"),
		      num(closed_c, "rx_bytes"));
		check(num(closed_c, "duration_ms") >= 200 && num(closed_c, "duration_ms") < 10000,
		      "%s: client lifetime %.0f ms (held open >= 200 ms)", f,
		      num(closed_c, "duration_ms"));
		check(conn_visited(closed_c, "FIN_WAIT1") && conn_visited(closed_c, "ESTABLISHED"),
		      "%s: the active closer went ESTABLISHED -> FIN_WAIT1", f);
	}
	if (closed_s)
		check(conn_visited(closed_s, "CLOSE_WAIT") && conn_visited(closed_s, "LAST_ACK") &&
			      num(closed_s, "tx_bytes") == DOWN,
		      "%s: the passive closer went CLOSE_WAIT -> LAST_ACK, tx %.0f", f,
		      num(closed_s, "tx_bytes"));
	cJSON_Delete(closed_c);
	cJSON_Delete(closed_s);
	peer_end(&cli);
	peer_end(&srv);
}

/* First document of a run of ebtop with these extra arguments. */
static cJSON *first_doc(const char *pidfilter)
{
	const char *args[] = { "--json=-", "-d", "0.2", "-n", "1", pidfilter ? "-p" : NULL,
			       pidfilter, NULL };
	struct ebtop e;
	cJSON *doc;

	if (ebtop_start(&e, args))
		return NULL;
	doc = ebtop_doc(&e);
	for (cJSON *more; (more = ebtop_doc(&e));)
		cJSON_Delete(more);
	ebtop_wait(&e);
	return doc;
}

static void preexisting(void)
{
	struct peer srv = peer_new(), cli = peer_new();
	unsigned short sport, cport = pair(&srv, &cli, AF_INET, &sport);
	char pid[16];
	cJSON *doc, *c, *s;

	transfer(&srv, &cli, 65536, 4096);
	doc = first_doc(NULL);
	c = find_conn(doc, false, cli.pid, cport, sport);
	s = find_conn(doc, false, srv.pid, sport, cport);
	check(c && s, "a connection opened before ebtop is listed, both ends with their owners");
	if (c)
		check(num(c, "tx_bytes") == 65536 && num(c, "rx_bytes") == 4096 &&
			      cJSON_IsTrue(cJSON_GetObjectItem(c, "preexisting")),
		      "its bytes so far (tx %.0f, rx %.0f), marked preexisting", num(c, "tx_bytes"),
		      num(c, "rx_bytes"));
	cJSON_Delete(doc);
	snprintf(pid, sizeof(pid), "%d", cli.pid);
	doc = first_doc(pid);
	check(find_conn(doc, false, cli.pid, cport, sport) && !find_conn(doc, false, srv.pid, sport, cport),
	      "with -p <client> only the client's end is listed");
	cJSON_Delete(doc);
	peer_end(&cli);
	peer_end(&srv);
}

/* Does the process run with AddressSanitizer (whose quarantine holds freed
 * memory, so its RSS says nothing about ebtop's own)? */
static bool asan(pid_t pid)
{
	char path[64], line[512];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	if (!(f = fopen(path, "r")))
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "libasan") != NULL;
	fclose(f);
	return found;
}

#define CHURN 5000

/* Reads three documents after a round of churn: adds the closed ends and
 * losses, counts the churner's connections still live. */
static int churn_docs(struct ebtop *e, pid_t child, double *closed, double *lost, double *total)
{
	int left = -1;
	cJSON *doc;

	for (int i = 0; i < 3 && (doc = ebtop_doc(e)); i++) {
		cJSON *tcp = cJSON_GetObjectItem(doc, "tcp"), *it;

		*closed += cJSON_GetArraySize(cJSON_GetObjectItem(tcp, "closed"));
		*lost += num(tcp, "lost");
		*total = num(tcp, "closed_total");
		left = 0;
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(tcp, "connections"))
			left += (int)num(it, "pid") == child &&
				strcmp(cJSON_GetObjectItem(it, "state")->valuestring, "LISTEN");
		cJSON_Delete(doc);
	}
	return left;
}

/* Two equal rounds of CHURN connections: everything reported, nothing
 * left, and the second round adds nothing to ebtop's memory (the first
 * grows it to what one refresh of that much data needs, which is kept). */
static void churn(void)
{
	char pid[16];
	const char *args[] = { "--json=-", "-d", "0.5", "-p", pid, NULL };
	double closed = 0, lost = 0, closed_total = 0;
	long rss[2];
	pid_t child;
	int go[2], fin[2], left = -1;
	struct ebtop e;
	cJSON *doc;
	char c;

	if (pipe(go) || pipe(fin))
		return;
	child = fork();
	if (child == 0) {
		unsigned short port;
		int lfd = tcp_listen(AF_INET, &port);

		for (int round = 0; round < 2; round++) {
			if (read(go[0], &c, 1) != 1)
				_exit(1);
			for (int i = 0; i < CHURN; i++) {
				int cfd = tcp_connect(AF_INET, port), sfd = accept(lfd, NULL, NULL);

				if (cfd < 0 || sfd < 0 || send_all(cfd, 100) || recv_all(sfd, 100))
					_exit(1);
				close(cfd);
				close(sfd);
			}
			if (write(fin[1], "d", 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	snprintf(pid, sizeof(pid), "%d", child);
	if (ebtop_start(&e, args)) {
		check(false, "churn: start ebtop");
		return;
	}
	cJSON_Delete(ebtop_doc(&e));
	bool san = asan(e.pid);

	for (int round = 0; round < 2; round++) {
		if (write(go[1], "g", 1) != 1 || read(fin[0], &c, 1) != 1)
			return;
		left = churn_docs(&e, child, &closed, &lost, &closed_total);
		rss[round] = rss_kib(e.pid);
	}
	check(reap(child) == 0, "churn: 2 x %d connections made", CHURN);
	kill(e.pid, SIGTERM);
	while ((doc = ebtop_doc(&e))) {
		closed += cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "tcp"), "closed"));
		cJSON_Delete(doc);
	}
	ebtop_wait(&e);
	check(closed == 4 * CHURN && lost == 0,
	      "churn: %.0f closed ends reported (both ends of 2 x %d), %.0f lost", closed, CHURN, lost);
	check(closed_total == 4 * CHURN, "churn: closed_total %.0f", closed_total);
	check(left == 0, "churn: no connection of the churner left in the live list (%d)", left);
	if (san)
		skip("churn: ebtop's RSS does not grow in the second round",
		     "an ASan build's quarantine holds freed memory; the plain pass checks this");
	else
		check(rss[0] > 0 && rss[1] - rss[0] < 2048,
		      "churn: ebtop's RSS after round 1 %ld KiB, after round 2 %ld KiB (< 2 MiB more)",
		      rss[0], rss[1]);
}

/* Documents until pred holds for one (up to max): its number, or 0. */
static int docs_until(struct ebtop *e, int max, bool (*pred)(cJSON *, void *), void *arg)
{
	for (int n = 1; n <= max; n++) {
		cJSON *doc = ebtop_doc(e);
		bool hit = doc && pred(doc, arg);

		cJSON_Delete(doc);
		if (hit)
			return n;
	}
	return 0;
}

struct want {
	int pid, sport;
	double tx;     /* -1: the connection is not to be listed */
};

static bool listed(cJSON *doc, void *arg)
{
	const struct want *w = arg;
	cJSON *c = find_conn(doc, false, w->pid, w->sport, -1);

	return w->tx < 0 ? !c : c && num(c, "tx_bytes") == w->tx;
}

/* ebtop skips the dump of the TCP tables while no segment moves in its
 * network namespace and no state or owner changed; alone in a namespace of
 * its own, what changes without a segment must still show, as must bytes. */
static void quiet(void)
{
	const char *args[] = { "--json=-", "-d", "0.2", NULL };
	struct peer srv, cli;
	struct want w;
	struct ebtop e;
	unsigned short port, sport, cport;
	int n;

	char why[96];

	if (netns_private(why, sizeof(why))) {
		skip("quiet namespace", why);
		return;
	}
	srv = peer_new();
	cli = peer_new();
	if (ebtop_start(&e, args)) {
		check(false, "quiet: start ebtop");
		return;
	}
	for (int i = 0; i < 3; i++) /* quiet refreshes: nothing to dump */
		cJSON_Delete(ebtop_doc(&e));
	post(&srv, 'l', AF_INET);
	port = reply(&srv);
	w = (struct want){ srv.pid, port, 0 };
	n = docs_until(&e, 4, listed, &w);
	check(n && n <= 2, "quiet: a listener made without a segment is listed by refresh 2: %d", n);
	post(&srv, 'x', 0);
	reply(&srv);
	w.tx = -1;
	n = docs_until(&e, 4, listed, &w);
	check(n && n <= 2, "quiet: closed without a segment, it is gone by refresh 2: %d", n);
	for (int i = 0; i < 3; i++)
		cJSON_Delete(ebtop_doc(&e));
	cport = pair(&srv, &cli, AF_INET, &sport);
	transfer(&srv, &cli, 4096, 512);
	w = (struct want){ cli.pid, cport, 4096 };
	n = docs_until(&e, 4, listed, &w);
	check(n && n <= 2, "quiet: 4096 bytes after a quiet spell, exact by refresh 2: %d", n);
	for (int i = 0; i < 3; i++) /* quiet again: the dump kept is still exact */
		cJSON_Delete(ebtop_doc(&e));
	n = docs_until(&e, 1, listed, &w);
	check(n == 1, "quiet: still listed with the same bytes three refreshes on");
	kill(e.pid, SIGTERM);
	for (cJSON *doc; (doc = ebtop_doc(&e));)
		cJSON_Delete(doc);
	check(ebtop_wait(&e) == 0, "quiet: ebtop exits 0");
	peer_end(&cli);
	peer_end(&srv);
}

int main(void)
{
	if (geteuid() != 0) {
		skip("tcp pane against the kernel", "needs root for BPF");
		return done();
	}
	signal(SIGPIPE, SIG_IGN);
	one_family(AF_INET);
	one_family(AF_INET6);
	preexisting();
	churn();
	quiet(); /* last: it leaves this process in a namespace of its own */
	return done();
}

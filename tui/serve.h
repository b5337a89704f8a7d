/* --listen: the /metrics endpoint. libmicrohttpd parses HTTP; it runs in
 * ebtop's own event loop (its epoll fd is watched there), so there is no
 * thread and no lock, and a scrape renders the counters as they stand. A
 * slow scraper only holds a non-blocking socket: collection never waits. */
#ifndef EBTOP_SERVE_H
#define EBTOP_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct metrics;

struct listen_addr {
	struct sockaddr_storage sa;
	socklen_t len;
	bool loopback;
};

/* Parse "ADDR:PORT": an IPv4 address, [IPv6 address] or localhost, and a
 * port (0: any free one). Returns 0, or -1 with err set. */
int listen_parse(const char *text, struct listen_addr *out, char *err, size_t errlen);

struct server;

/* Bind and listen now (a port below 1024 needs privileges that are
 * dropped later). NULL with err set on failure. */
struct server *server_open(const struct listen_addr *a, char *err, size_t errlen);
/* Start answering; scrapes render m. Returns 0 or -1 with err set. */
int server_start(struct server *s, const struct metrics *m, char *err, size_t errlen);
/* "http://ADDR:PORT/metrics", with the port the kernel chose for 0. */
const char *server_url(const struct server *s);
/* The fd for the event loop; when readable, or at least once per refresh
 * (for timeouts), call server_run. */
int server_fd(const struct server *s);
void server_run(struct server *s);
void server_free(struct server *s);

#endif

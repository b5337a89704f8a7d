#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "views/metrics.h"
#include "tui/serve.h"

#define MAX_CONNECTIONS 32u
#define CONNECTION_TIMEOUT_S 10u

struct server {
	int fd;                  /* the listening socket, MHD's once started */
	struct MHD_Daemon *d;
	const struct metrics *m;
	char url[96];
};

static bool is_loopback(const struct sockaddr_storage *sa)
{
	if (sa->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;

	return IN6_IS_ADDR_LOOPBACK(a6) ||
	       (IN6_IS_ADDR_V4MAPPED(a6) && a6->s6_addr[12] == 127);
}

int listen_parse(const char *text, struct listen_addr *out, char *err, size_t errlen)
{
	const char *host = text, *host_end, *port;
	char name[INET6_ADDRSTRLEN];
	unsigned long p = 0;
	bool v6 = text[0] == '[';
	size_t n;

	memset(out, 0, sizeof(*out));
	if (v6) {
		host = text + 1;
		host_end = strchr(host, ']');
		port = host_end && host_end[1] == ':' ? host_end + 2 : NULL;
	} else {
		host_end = strrchr(text, ':');
		port = host_end ? host_end + 1 : NULL;
		if (host_end && memchr(text, ':', host_end - text))
			port = NULL; /* an IPv6 address wants brackets */
	}
	n = port ? (size_t)(host_end - host) : 0;
	if (!port || !n || n >= sizeof(name) || !*port || strspn(port, "0123456789") != strlen(port) ||
	    strlen(port) > 5 || (p = strtoul(port, NULL, 10)) > 65535)
		goto bad;
	memcpy(name, host, n);
	name[n] = '\0';
	if (!v6 && !strcmp(name, "localhost"))
		strcpy(name, "127.0.0.1");
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->sa;

		if (inet_pton(AF_INET6, name, &s6->sin6_addr) != 1)
			goto bad;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(p);
		out->len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&out->sa;

		if (inet_pton(AF_INET, name, &s4->sin_addr) != 1)
			goto bad;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(p);
		out->len = sizeof(*s4);
	}
	out->loopback = is_loopback(&out->sa);
	return 0;
bad:
	snprintf(err, errlen,
		 "invalid --listen address '%s': give ADDR:PORT, e.g. 127.0.0.1:9435 or [::1]:9435",
		 text);
	return -1;
}

static void set_url(struct server *s)
{
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa);
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	if (getsockname(s->fd, (struct sockaddr *)&sa, &len) == 0) {
		if (sa.ss_family == AF_INET6) {
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr, host, sizeof(host));
			port = ntohs(((struct sockaddr_in6 *)&sa)->sin6_port);
		} else {
			inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, host, sizeof(host));
			port = ntohs(((struct sockaddr_in *)&sa)->sin_port);
		}
	}
	snprintf(s->url, sizeof(s->url), sa.ss_family == AF_INET6 ? "http://[%s]:%u/metrics"
								  : "http://%s:%u/metrics",
		 host, port);
}

struct server *server_open(const struct listen_addr *a, char *err, size_t errlen)
{
	struct server *s = calloc(1, sizeof(*s));
	int one = 1;

	if (!s) {
		snprintf(err, errlen, "--listen: %s", strerror(errno));
		return NULL;
	}
	s->fd = socket(a->sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->fd < 0 || setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s->fd, (const struct sockaddr *)&a->sa, a->len) || listen(s->fd, 64)) {
		snprintf(err, errlen, "cannot listen for metrics: %s", strerror(errno));
		if (s->fd >= 0)
			close(s->fd);
		free(s);
		return NULL;
	}
	set_url(s);
	return s;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
			     struct MHD_Response *r)
{
	enum MHD_Result ret;

	if (!r)
		return MHD_NO; /* out of memory: MHD drops the connection */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	return reply(c, status, "text/plain; charset=utf-8",
		     MHD_create_response_from_buffer(strlen(text), (void *)text,
						     MHD_RESPMEM_PERSISTENT));
}

/* Prometheus asks for OpenMetrics first; anything else gets the classic
 * text format, which every scraper and promtool read. */
static enum metrics_format negotiate(struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);

	return accept && strstr(accept, "application/openmetrics-text") ? METRICS_OPENMETRICS
									: METRICS_PROMETHEUS;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_len, void **req)
{
	const struct server *s = cls;
	enum metrics_format fmt;
	size_t len;
	char *text;

	(void)version, (void)upload, (void)upload_len, (void)req;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "ebtop: only GET and HEAD\n");
	if (!strcmp(url, "/"))
		return reply_text(c, MHD_HTTP_OK, "ebtop " EBTOP_VERSION ": metrics are at /metrics\n");
	if (strcmp(url, "/metrics"))
		return reply_text(c, MHD_HTTP_NOT_FOUND, "ebtop: not found; metrics are at /metrics\n");
	fmt = negotiate(c);
	text = metrics_render(s->m, fmt, &len);
	if (!text)
		return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "ebtop: out of memory\n");
	return reply(c, MHD_HTTP_OK, metrics_content_type(fmt),
		     MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE));
}

int server_start(struct server *s, const struct metrics *m, char *err, size_t errlen)
{
	s->m = m;
	/* no internal thread: MHD_run from our loop does the work */
	s->d = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, answer, s,
				MHD_OPTION_LISTEN_SOCKET, s->fd, MHD_OPTION_CONNECTION_LIMIT,
				MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
				CONNECTION_TIMEOUT_S, MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "cannot start the metrics server (libmicrohttpd)");
		return -1;
	}
	return 0;
}

const char *server_url(const struct server *s)
{
	return s->url;
}

int server_fd(const struct server *s)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD);

	return i ? i->epoll_fd : -1;
}

void server_run(struct server *s)
{
	MHD_run(s->d);
}

void server_free(struct server *s)
{
	if (!s)
		return;
	if (s->d)
		MHD_stop_daemon(s->d); /* closes the listening socket too */
	else
		close(s->fd);
	free(s);
}

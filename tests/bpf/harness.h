/* BPF tests run the real ebtop against the real kernel with a known load
 * and check what it reports in its --json output. Results are TAP lines. */
#ifndef EBTOP_HARNESS_H
#define EBTOP_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <cjson/cJSON.h>

/* ok / not ok with a label; returns cond. */
bool check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void skip(const char *label, const char *why);
/* Exit status for main: non-zero if any check failed. */
int done(void);

struct ebtop {
	pid_t pid;
	FILE *out;    /* its stdout */
};

/* Start $EBTOP with the given NULL-terminated arguments, stdout piped. */
int ebtop_start(struct ebtop *e, const char *const *args);
/* Next JSON document, or NULL at end of output. */
cJSON *ebtop_doc(struct ebtop *e);
/* Wait for exit; returns the exit status or -1. */
int ebtop_wait(struct ebtop *e);

/* Fork a child that spins nthreads threads (thread i pinned to CPU
 * i % ncpus when pin is true) for secs seconds. */
pid_t spawn_spinner(int nthreads, double secs, bool pin);
/* The calling thread, and what it forks or creates from now on, runs on
 * CPU cpu % ncpus only. */
void pin_self(int cpu);
/* Reap a child; returns its exit status. */
int reap(pid_t pid);

/* A process's resident memory (VmRSS) in KiB, or -1. */
long rss_kib(pid_t pid);

/* A process's entry in a pane's array by pid, or NULL. */
cJSON *find_pid(cJSON *doc, const char *pane, const char *array, int pid);
double num(cJSON *obj, const char *key);

/* Loopback TCP for the tcp tests. family is AF_INET (127.0.0.1) or
 * AF_INET6 (::1). Return an fd, or -1. */
int tcp_listen(int family, unsigned short *port);
int tcp_connect(int family, unsigned short port);
unsigned short local_port(int fd);
/* Move exactly n bytes; 0 on success. */
int send_all(int fd, size_t n);
int recv_all(int fd, size_t n);

/* Move the calling process into a network namespace of its own, its
 * loopback up: what ebtop started from it sees there is the test's alone.
 * 0, or -1 with the reason in why. */
int netns_private(char *why, size_t len);

/* A TCP connection in a document's tcp "connections" (closed: "closed")
 * by owner pid and ports (dport -1: any), or NULL. */
cJSON *find_conn(cJSON *doc, bool closed, int pid, int sport, int dport);
/* Does a connection's "states" list name this state? */
bool conn_visited(cJSON *conn, const char *state);

#endif

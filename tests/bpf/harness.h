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
/* Reap a child; returns its exit status. */
int reap(pid_t pid);

/* A process's entry in a pane's array by pid, or NULL. */
cJSON *find_pid(cJSON *doc, const char *pane, const char *array, int pid);
double num(cJSON *obj, const char *key);

#endif

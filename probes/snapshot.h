/* Plain snapshot structs: what one refresh collected, with no libbpf types.
 * Probes fill them, views read them, and a paused UI keeps one frozen. */
#ifndef EBTOP_SNAPSHOT_H
#define EBTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum pane_id { PANE_CPU, PANE_RUNQ, PANE_SYS, PANE_TCP, PANE_EXEC, NPANES };

struct cpu_row {
	uint32_t pid;
	uint32_t uid;
	uint32_t threads;
	uint64_t oncpu_ns;   /* in the last interval */
	uint64_t cgroup_id;
	double pct;          /* % of one CPU */
	char comm[16];
	char *cgroup;        /* path below the cgroup2 mount, owned */
};

struct cpu_snap {
	int ncpus;
	double interval_s;   /* the accounting window of these numbers */
	uint64_t idle_ns;
	size_t n;
	struct cpu_row *rows;
};

struct snapshot {
	bool baseline;          /* first reading: no interval yet */
	double interval_s;      /* measured length of the interval */
	struct timespec wall;   /* CLOCK_REALTIME when it was taken */
	char error[NPANES][160]; /* non-empty: the pane is unavailable, and why */
	struct cpu_snap cpu;
};

void snapshot_free(struct snapshot *s);

#endif

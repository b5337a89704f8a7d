/* The machine at a glance, from /proc, for the header above every pane:
 * per-CPU busy shares, load, tasks, memory, swap, uptime and pressure.
 * Read once per refresh; no BPF. */
#ifndef EBTOP_SYSTEM_H
#define EBTOP_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>

/* CPUs the figures keep one by one; a bigger machine's rest is summed
 * into the last. */
#define SYSTEM_MAX_CPUS 1024

struct cpu_share {
	float user, system, irq, steal; /* % of the CPU's time in the interval */
};

struct system_snap {
	bool have;                   /* read, or in the recording */
	int ncpus;
	struct cpu_share cpu[SYSTEM_MAX_CPUS];
	double load[3];
	uint32_t running, tasks;     /* runnable and all tasks (threads) */
	uint64_t mem_total_kb, mem_avail_kb, swap_total_kb, swap_free_kb;
	double uptime_s;
	double psi[3];               /* cpu, memory, io "some avg10" %; < 0: no PSI */
};

struct system_reader;

/* A reader of root's files ("/proc", or a test's copy of them). */
struct system_reader *system_reader_new(const char *root);
void system_reader_free(struct system_reader *r);
/* Fill s. CPU shares are over the time since the previous read (none at
 * the first: ncpus is still set, the shares 0). */
void system_read(struct system_reader *r, struct system_snap *s);

#endif

/* ebtop's own cost: per probe, the run time and runs of its BPF programs
 * (from the kernel's BPF stats, which count only while switched on), and
 * the userspace CPU per refresh, RSS and BPF map memory of ebtop itself.
 * Found by ebtop's own file descriptors, so every program and map it holds
 * is counted, whichever part of ebtop loaded it. */
#ifndef EBTOP_SELFCOST_H
#define EBTOP_SELFCOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SELF_MAX_PROBES 8

struct self_probe {
	char name[16];
	uint64_t run_ns, runs;         /* since its programs loaded */
	double ns_per_s, runs_per_s;   /* over the interval */
};

struct self_snap {
	bool have;                     /* read, or in the recording */
	bool rates;                    /* there was a reading before: rates are real */
	bool bpf_stats;                /* the kernel counts program run time */
	double cpu_ms;                 /* userspace CPU per refresh, over the interval */
	double cpu_s;                  /* userspace CPU since start */
	uint64_t rss_bytes, map_bytes;
	uint64_t lost;                 /* ring-buffer records dropped since start */
	size_t nprobes;
	struct self_probe probe[SELF_MAX_PROBES];
};

struct selfcost;

struct selfcost *selfcost_new(void);
void selfcost_free(struct selfcost *c);
/* Switch the kernel's BPF stats on for as long as this reader lives:
 * needs CAP_SYS_ADMIN, so before privileges are dropped. 0 or -errno. */
int selfcost_enable_stats(struct selfcost *c);
/* Fill s; rates are over the time since the previous read, per refresh
 * over the refreshes since then (at least 1). */
void selfcost_read(struct selfcost *c, struct self_snap *s, unsigned refreshes);
/* The probe a program of that name belongs to ("other" when none). */
const char *selfcost_probe_of(const char *prog_name);

#endif

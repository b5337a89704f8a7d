/* The command line (ebtop --help, README "Options"). */
#ifndef EBTOP_OPTIONS_H
#define EBTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "probes/filter.h"


struct options {
	double delay;                 /* seconds */
	uint32_t pids[MAX_FILTER_PIDS];
	size_t npids;
	const char *cgroup;
	int view;                     /* enum pane_id */
	const char *theme;
	bool batch;
	long iterations;              /* 0: until quit */
	const char *json;             /* path, "-" for stdout, NULL */
	const char *snapshot_dir;
	bool sys_latency;
	uint64_t runq_slow_us;        /* --runq-slow: a wait this long is slow */
	bool threads;                 /* --threads: per-thread rows, always read */
	bool self;                    /* --self: own cost, BPF stats on */
	const char *listen;           /* ADDR:PORT for /metrics, or NULL */
	bool allow_remote;            /* --listen may be a non-loopback address */
	long metrics_top;             /* per-process series per metric */
	const char *record;           /* --record: append frames to this file */
	uint64_t record_max;          /* --record-max: rotate past this size (0: never) */
	long record_keep;             /* --record-keep: rotated files kept */
	const char *replay;           /* -r: the file to replay, no BPF */
	double history_s;             /* live rewind keeps this much (0: off) */
	const char *at;               /* --at: where a replay starts */
	const char *from, *to;        /* --from, --to: the range a headless replay emits */
	bool no_mouse;                /* --no-mouse: leave the mouse to the terminal */
	const char *config;           /* --config: the settings file */
	bool no_config;               /* --no-config: none read or written */
	bool prof;                    /* --prof: sample stacks headless too */
	long prof_hz;                 /* --prof-hz: samples per second per CPU */
	const char *folded;           /* --folded: the run's stacks, folded, at exit */
	bool offcpu;                  /* --offcpu: stacks off-CPU from the start */
	uint64_t offcpu_min_us;       /* --offcpu-min: the shortest block counted */
	/* given on the command line, so a settings file does not override them */
	bool given_delay, given_view, given_theme;
};

enum parse_result { PARSE_OK, PARSE_EXIT, PARSE_USAGE };

/* Parse argv. PARSE_EXIT: help or version was printed to out. PARSE_USAGE:
 * err holds one line naming the problem. */
enum parse_result options_parse(int argc, char **argv, struct options *o, FILE *out, char *err,
				size_t errlen);
/* Parse "PID[,PID...]": each a live process. Returns 0 or -1 with err set. */
int options_parse_pids(const char *s, uint32_t *pids, size_t max, size_t *n, char *err,
		       size_t errlen);
/* The same list, live or not (a replay's processes ran elsewhere). */
int options_parse_pid_list(const char *s, uint32_t *pids, size_t max, size_t *n, char *err,
			   size_t errlen);
/* "90s", "10m", "2h" or plain seconds, 0 to 24h. Returns 0 or -1. */
int options_parse_duration(const char *s, double *secs);
/* A latency: "250us", "1ms", "0.5s" or plain milliseconds, from 1 us to
 * 10 s, into microseconds. Returns 0 or -1. */
int options_parse_latency(const char *s, uint64_t *us);
/* "500K", "64M", "2G" or plain bytes (K is 1024). Returns 0 or -1. */
int options_parse_size(const char *s, uint64_t *bytes);
/* Parse a refresh interval within DELAY_MIN..DELAY_MAX. */
int options_parse_delay(const char *s, double *delay, char *err, size_t errlen);

#define RECORD_KEEP_DEFAULT 5
/* the reader opens a rotated set up to path.1000 */
#define RECORD_KEEP_MAX 1000
#define DELAY_MIN 0.1
#define DELAY_MAX 3600.0

#endif

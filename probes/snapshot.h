/* Plain snapshot structs: what one refresh collected, with no libbpf types.
 * Probes fill them, views read them, and a paused UI keeps one frozen. */
#ifndef EBTOP_SNAPSHOT_H
#define EBTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "bpf/hist.h"
#include "probes/note.h"
#include "probes/pane_list.h"
#include "probes/selfcost.h"
#include "probes/system.h"

#define CPU_TREND 8     /* refreshes of CPU history each process row carries */

struct cpu_row {
	uint32_t pid;
	uint32_t ppid;       /* its parent when first seen (probes/proctrack.h); 0 unknown */
	uint32_t uid;
	uint32_t threads;
	uint64_t oncpu_ns;   /* in the last interval */
	uint64_t cgroup_id;
	double pct;          /* % of one CPU */
	char comm[16];
	char user[32];       /* uid's name (its number when unknown) */
	char *cgroup;        /* path below the cgroup2 mount, owned */
	char *cmdline;       /* the full command line (probes/proctrack.h), owned */
	float trend[CPU_TREND]; /* % of a CPU in the last refreshes it ran in, oldest first */
	uint8_t ntrend;      /* how many of them are known (the newest ones) */
};

/* A thread in the interval (H, --threads). */
struct cpu_thread_row {
	uint32_t tid, pid;
	char comm[16];       /* the thread's own name */
	uint64_t oncpu_ns;
	double pct;          /* % of one CPU */
	uint64_t waits;      /* run-queue waits */
	uint64_t wait_ns;    /* their time added up */
};

struct cpu_snap {
	int ncpus;
	double interval_s;   /* the accounting window of these numbers */
	uint64_t idle_ns;
	size_t n;
	struct cpu_row *rows;
	size_t ngone;
	uint32_t *gone;      /* processes that exited in the interval */
	bool threads_on;     /* threads were read (they may be none) */
	size_t nthreads;
	struct cpu_thread_row *threads; /* by on-CPU time, largest first */
};

#define RUNQ_HEAT_COLS 180  /* intervals kept for the heat map */
#define RUNQ_HEAT_ROWS 24   /* one per power of two of microseconds */
#define RUNQ_TOP_PROCS 64

struct runq_proc_row {
	uint32_t pid;
	char comm[16];
	uint64_t count;
	uint64_t slow;                 /* waits of at least --runq-slow */
	double p50_us, p99_us, p999_us, max_us; /* max: upper bound of its highest bucket */
	uint64_t hist[HIST_BUCKETS];
};

/* Who made whom wait in the interval: the culprit's shares of the
 * victim's waits (bpf/runq.bpf.c). */
struct runq_delay_row {
	uint32_t culprit, victim;
	char culprit_comm[16], victim_comm[16];
	uint64_t caused_ns;
	uint64_t waits;                /* the victim's waits it had a share in */
	double worst_us;               /* the longest of them */
};

/* A culprit: its delays added up over its victims. */
struct runq_culprit_row {
	uint32_t pid;
	char comm[16];
	uint64_t caused_ns, waits;
	double worst_us;
	uint32_t victims;              /* processes it delayed */
};

struct runq_snap {
	uint64_t count;
	uint64_t sum_ns;               /* all waits of the interval added up */
	double p50_us, p90_us, p99_us, max_us;
	uint64_t hist[HIST_BUCKETS];
	size_t np;
	struct runq_proc_row *procs;   /* slow ones first, then by p99 */
	size_t ndelays;
	struct runq_delay_row *delays; /* by caused_ns, largest first */
	size_t nculprits;
	struct runq_culprit_row *culprits; /* by caused_ns, largest first */
	uint64_t slow_us;              /* the --runq-slow threshold */
	uint64_t delays_lost;          /* pairs not kept since start: the map was full */
	/* heat map, oldest column first: waits per interval per power of two */
	uint32_t heat[RUNQ_HEAT_COLS][RUNQ_HEAT_ROWS];
	int heat_cols;
	size_t nsamples;               /* test-only raw samples (EBTOP_RUNQ_SAMPLES=1) */
	uint64_t (*samples)[2];        /* tgid, ns */
};

struct sys_row {
	uint32_t nr;
	char name[32];
	uint64_t count, errors;     /* in the last interval */
	double per_s, errors_per_s;
	double avg_lat_ns, max_lat_ns; /* 0 without --sys-latency */
};

struct sys_proc_row {
	uint32_t pid;
	char comm[16];
	uint64_t count, errors;
	double per_s;
};

struct sys_snap {
	bool collecting;            /* attached during this interval */
	bool latency;
	double total_per_s;
	size_t n, np;
	struct sys_row *rows;       /* by count, largest first */
	struct sys_proc_row *procs; /* by count, largest first, at most SYS_TOP_PROCS */
};

#define SYS_TOP_PROCS 200

/* One exec, shared by reference between the probe's history and any
 * number of snapshots (a paused screen keeps its own references). */
struct exec_rec {
	int refs;
	uint64_t seq;            /* order of arrival */
	struct timespec time;    /* CLOCK_REALTIME */
	uint32_t pid, ppid, uid;
	int32_t ret;
	bool truncated;
	uint64_t lost_before;    /* > 0: a marker: this many records were lost here */
	char comm[16];
	char user[32];           /* uid's name (its number when unknown) */
	char *filename;
	int argc;
	char **argv;             /* raw bytes from the kernel; sanitize to show */
};

void exec_rec_put(struct exec_rec *r);

struct exec_snap {
	uint64_t events;         /* execs that arrived in this interval */
	uint64_t lost;           /* records the kernel dropped since the previous snapshot */
	uint64_t lost_total;
	uint64_t dropped;        /* records older than the history bound */
	double rate;             /* execs per second over the interval */
	size_t n;                /* history, oldest first */
	struct exec_rec **recs;
	size_t nnew;             /* the last nnew of recs arrived in this interval */
	char note[NOTE_LEN];          /* partial coverage, e.g. failed execs not seen */
};

enum tcp_reset { TCP_RESET_NONE, TCP_RESET_BY_US, TCP_RESET_BY_PEER };

/* One TCP connection, live or closed. */
struct tcp_row {
	uint64_t id;             /* stable across refreshes: the selection follows it */
	uint32_t pid;            /* owner's tgid; 0 when unknown */
	uint32_t uid;
	uint16_t family;         /* AF_INET or AF_INET6 */
	uint16_t sport, dport;
	uint8_t state;           /* the kernel's TCP_* number */
	bool preexisting;        /* open before ebtop started: age is a lower bound */
	uint32_t states;         /* bit (1 << state) per state visited */
	uint8_t saddr[16], daddr[16];
	char comm[16];
	uint64_t tx_bytes, rx_bytes;
	uint64_t tx_new, rx_new; /* since the previous refresh; 0 when not known */
	double tx_per_s, rx_per_s;
	double age_s;            /* live: since connect/accept; closed: lifetime */
	struct timespec closed_at;
	uint32_t srtt_us, rttvar_us;  /* smoothed RTT and its deviation */
	uint32_t cwnd;           /* congestion window, segments */
	uint32_t retrans;        /* segments retransmitted, the kernel's count */
	uint32_t retrans_new;    /* retransmissions since the previous refresh */
	double retrans_per_s;
	double connect_ms;       /* an active open's SYN_SENT -> ESTABLISHED; -1: none */
	enum tcp_reset reset;    /* which side reset it */
	int err;                 /* the errno it ended with; 0: none */
	bool failed;             /* an active open that never got established */
	bool opened;             /* an active open begun in this interval */
};

/* A process's TCP in one interval, from its live connections and those
 * closed in the interval. */
struct tcp_proc_row {
	uint32_t pid;
	char comm[16];
	uint32_t connections;    /* live, listeners not counted */
	double tx_per_s, rx_per_s, retrans_per_s;
	uint32_t connects;       /* active opens begun */
	uint32_t failed_connects;
};

struct tcp_snap {
	size_t n;
	struct tcp_row *rows;    /* live, in the kernel's table order */
	size_t nclosed;
	struct tcp_row *closed;  /* recently closed, oldest first, bounded */
	size_t nfresh;
	struct tcp_row *fresh;   /* every one closed in this interval (--json) */
	size_t np;
	struct tcp_proc_row *procs;  /* by pid */
	uint64_t closed_total;
	uint64_t lost;           /* close events dropped since the previous snapshot */
	uint64_t lost_total;
	char note[NOTE_LEN];
};

#define STACK_TOP 500      /* stacks a snapshot keeps, the most sampled */
#define STACK_FRAME_MAX 160 /* bytes of one frame's name */
#define STACK_FRAMES_MAX 256 /* frames of one row: a user and a kernel stack, each
			     * of the kernel's 127 at most, and their markers */

/* One stack of one process in the interval. Frames are root first, user
 * then kernel; kernel ones end in "_[k]" (as flamegraph.pl colours them);
 * "[unknown]" is a frame no mapping names, "[lost]" a stack the kernel's
 * stack map could not keep. */
struct stack_row {
	uint32_t pid;
	char comm[16];
	uint64_t count;          /* samples, or off-CPU ns blocked */
	uint32_t nframes;
	char *frames;            /* nframes NUL-terminated names back to back, owned */
};

enum stack_mode { STACK_ONCPU, STACK_OFFCPU };

/* A row's frames as they are built, one name after another. */
struct stack_frames {
	char *buf;
	size_t len, cap;
	uint32_t n;
};
/* n bytes of name, then suffix, as the next frame; 0, or -ENOMEM with f
 * as it was. */
int stack_frames_add(struct stack_frames *f, const char *name, size_t n, const char *suffix);
/* The bytes a row's frames take, their NULs included. */
size_t stack_frames_len(const struct stack_row *r);

struct stack_snap {
	bool collecting;         /* sampling during this interval */
	bool offcpu;             /* counts are ns blocked, not samples */
	uint64_t min_us;         /* off-CPU: blocks shorter than this are not counted */
	unsigned hz;             /* samples per second per CPU */
	uint64_t samples;        /* of the processes shown, in the interval (off-CPU:
				  * blocks counted) */
	uint64_t lost;           /* of them, not counted under a stack (map full) */
	uint64_t others;         /* the count (samples or ns) of stacks past STACK_TOP */
	uint64_t total;          /* the count of every stack, STACK_TOP's and others */
	size_t n;
	struct stack_row *rows;  /* by count, largest first */
};

/* A process's cgroup v2 path, for the owners of connections that did not
 * run in the interval (so have no cpu row to say it). */
struct pid_cgroup {
	uint32_t pid;
	char *path;              /* owned */
};

struct snapshot {
	bool baseline;          /* first reading: no interval yet */
	double interval_s;      /* measured length of the interval */
	struct timespec wall;   /* CLOCK_REALTIME when it was taken */
	char error[NPANES][NOTE_LEN]; /* non-empty: the pane is unavailable, and why */
	struct system_snap system;    /* the header's figures of the machine */
	size_t nowners;
	struct pid_cgroup *owners;    /* by pid */
	struct cpu_snap cpu;
	struct runq_snap runq;
	struct sys_snap sys;
	struct tcp_snap tcp;
	struct exec_snap exec;
	struct stack_snap stack;
	struct self_snap self;        /* with --self, or while help shows it */
};

void snapshot_free(struct snapshot *s);
/* The cgroup path of pid: from its cpu row, else from the owners table;
 * NULL when neither knows it. */
const char *snapshot_cgroup_of(const struct snapshot *s, uint32_t pid);
/* Keep of v (n entries, paths owned or NULL) the pids the owners table
 * needs: each once, sorted, none that has a cpu row; the paths of those
 * dropped are freed. Returns how many are kept. */
size_t snapshot_owners_needed(const struct snapshot *s, struct pid_cgroup *v, size_t n);
/* Take v (n entries, malloc'd, paths owned) as the owners table, after
 * snapshot_owners_needed. */
void snapshot_set_owners(struct snapshot *s, struct pid_cgroup *v, size_t n);
/* qsort and bsearch order of pids and other u32 keys, and of records
 * that begin with one. */
int cmp_u32(const void *a, const void *b);
/* The culprits table from the delays: one row per culprit, by delay
 * caused. Returns 0 or -ENOMEM (the table left empty). */
int runq_culprits(struct runq_snap *q);
/* A new heat map column of RUNQ_HEAT_COLS, from one interval's histogram
 * folded into powers of two; the oldest scrolls out. */
void runq_heat_push(uint32_t (*heat)[RUNQ_HEAT_ROWS], int *ncols, const uint64_t *hist);

#endif

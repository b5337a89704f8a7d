/* The life cycle every data source follows: start (open, pick tp_btf or
 * raw_tp by trying, reuse the filter maps, load, attach), collect once per
 * refresh into the snapshot, reset baselines, stop. */
#ifndef EBTOP_PROBE_H
#define EBTOP_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "probes/snapshot.h"

struct bpf_object;
struct filter;

/* What every probe is started with. */
struct probe_env {
	struct filter *filter;
	bool sys_latency;      /* time syscalls too (sys_enter + a clock read) */
	uint64_t runq_slow_us; /* a run-queue wait this long is slow */
	unsigned prof_hz;      /* stack samples per second per CPU (0: default) */
	bool offcpu;           /* the stack probe starts off-CPU */
	uint64_t offcpu_min_us; /* off-CPU: shorter blocks are not counted (0: default) */
};

/* A pane's data source; which pane, and its name, come from the pane
 * list (pane_list.h). */
struct probe_ops {
	/* Optional: what must run before ebtop has threads (unshare refuses
	 * a process that has them); called on the main thread, before any
	 * start. */
	void (*prepare)(void);
	/* Returns state or NULL with errno set and a reason in why. Starts
	 * run on several threads at once: a start touches only its own state
	 * and the env (read-only), or an object it shares, under a lock
	 * (probes/sched.h). */
	void *(*start)(const struct probe_env *env, char *why, size_t whylen);
	/* Its start waits for an object another start loads: it is taken
	 * after all others, so it holds no thread while there is work. */
	bool start_last;
	int (*collect)(void *p, struct snapshot *s, double interval_s);
	void (*reset)(void *p);
	void (*stop)(void *p);
	/* Optional: an fd that becomes readable when there are events, and
	 * the call that consumes them. */
	int (*fd)(void *p);
	void (*drain)(void *p);
	/* Optional: costly probes attach only while their data is consumed. */
	int (*set_active)(void *p, bool on);
	/* Headless, active only when asked for (--prof), not always. */
	bool on_request;
	/* Optional: the pane's data in another mode (stack: enum stack_mode);
	 * 0 or -errno with the reason in why. */
	int (*set_mode)(void *p, int mode, char *why, size_t whylen);
	/* Optional: per-thread rows too (H, --threads); 0 or -errno with the
	 * reason in why. */
	int (*set_threads)(void *p, bool on, char *why, size_t whylen);
};

#define EBTOP_PROBE_DECL(ID, name) extern const struct probe_ops name##_probe_ops;
EBTOP_PANES(EBTOP_PROBE_DECL)
#undef EBTOP_PROBE_DECL

/* Enable exactly one variant of each program pair: tp_btf/ when btf is
 * true, raw_tp/ otherwise. */
void probe_pick_variant(struct bpf_object *obj, bool btf);
/* Of a loaded object's pair, the program that was loaded. */
struct bpf_program *probe_pick(struct bpf_object *obj, const char *btf, const char *raw);

/* Open, configure and load a skeleton, trying the tp_btf variant first and
 * the raw_tp one second; configure (a statement) runs after each open, with
 * btf_ saying which variant is tried. On success skel is loaded; on failure
 * it is NULL and err holds -errno. more: the caller has a further fallback
 * if both fail, so libbpf's messages of both are muted too. */
#define PROBE_OPEN_LOAD_CONFIGURED(prefix, skel, filt, err, configure) \
	PROBE_OPEN_LOAD_FALLBACK(prefix, skel, filt, err, false, configure)

#define PROBE_OPEN_LOAD_FALLBACK(prefix, skel, filt, err, more, configure)      \
	do {                                                                     \
		for (int btf_ = !probe_forced_failure("tp_btf"); btf_ >= 0; btf_--) { \
			(skel) = prefix##__open();                               \
			if (!(skel)) {                                           \
				(err) = -errno;                                  \
				break;                                           \
			}                                                        \
			probe_pick_variant((skel)->obj, btf_);                   \
			configure;                                               \
			(err) = filter_reuse((filt), (skel)->obj);               \
			if (!(err))                                              \
				(err) = probe_quiet_load(                        \
					(int (*)(void *))prefix##__load, (skel), \
					btf_ || (more));                         \
			if (!(err))                                              \
				break;                                           \
			prefix##__destroy(skel);                                 \
			(skel) = NULL;                                           \
		}                                                                \
	} while (0)

#define PROBE_OPEN_LOAD(prefix, skel, filt, err) \
	PROBE_OPEN_LOAD_CONFIGURED(prefix, skel, filt, err, (void)0)

/* Load with libbpf's messages muted while a fallback remains: muted for
 * the calling thread only, so loads on other threads still report. */
int probe_quiet_load(int (*load)(void *), void *skel, bool fallback_left);

/* A reason string for a failed start, shared wording across probes. */
void probe_why(char *why, size_t len, const char *what, int err);

/* Force a context switch on every CPU we may run on, by migrating
 * ourselves across them. Per-CPU state that programs set at switch-in (the
 * slice in progress, whether its task passed the filter) is then fresh:
 * after attach, and after a filter change. */
void probe_switch_all_cpus(void);

/* The count in a ring-buffer probe's `lost` map (bpf/events.bpf.h), summed
 * over CPUs; prev when it cannot be read. */
uint64_t probe_lost_count(int map_fd, uint64_t prev);
/* Nanoseconds to add to a bpf_ktime_get_ns stamp for CLOCK_REALTIME. */
int64_t probe_mono_to_real(void);
uint64_t probe_mono_ns(void);

/* Read fd to its end; returns what it gave (malloc'd), its length in *len,
 * or NULL with errno set. */
char *probe_read_all(int fd, size_t *len);
/* The same, failing with EFBIG past max bytes: for files others write. */
char *probe_read_max(int fd, size_t max, size_t *len);
struct bpf_link;
/* Run an iterator program to the end: probe_read_all of its output. */
char *probe_run_iter(struct bpf_link *link, size_t *len);

/* EBTOP_FAIL_PROBE=name[,name] makes the named probes fail to start (tests);
 * the name tp_btf makes every probe take its raw_tp fallback. */
bool probe_forced_failure(const char *name);

#endif

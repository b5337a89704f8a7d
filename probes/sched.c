#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "probes/filter.h"
#include "probes/probe.h"
#include "probes/sched.h"
#include "bpf/touched.h"
#include "sched.skel.h"

/* the object of both parts, while either probe holds it */
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sched_bpf *shared;
static int shared_users;
static bool shared_tried;

/* Tests only: EBTOP_TEST_UNSEEN_SWITCH=tgid hides that process's switches
 * away from the cpu part, as some kernels do for some switches. */
static uint32_t unseen_tgid(void)
{
	const char *v = getenv("EBTOP_TEST_UNSEEN_SWITCH");

	return v ? strtoul(v, NULL, 10) : 0;
}

/* Tests only: EBTOP_RUNQ_SAMPLES=1 sends every wait the runq part sees to
 * its samples ring. */
static bool runq_samples(void)
{
	const char *v = getenv("EBTOP_RUNQ_SAMPLES");

	return v && !strcmp(v, "1");
}

/* Load and attach with the parts given; more: a fallback remains if this
 * fails, so libbpf's messages are muted. 0 or -errno. */
static int load(struct sched_bpf **out, const struct probe_env *env, bool cpu, bool runq, bool more)
{
	struct sched_bpf *skel = NULL;
	bool samples = runq && runq_samples();
	int err = 0;

	/* cpu_now is a syscall program with bpf_loop over per-CPU maps (5.19);
	 * without it the cpu probe reads the slots alone, and a slice whose
	 * switch-in was not seen waits for its switch-out. */
	for (int with_now = cpu && !probe_forced_failure("cpu_now"); !skel && with_now >= 0;
	     with_now--) {
		PROBE_OPEN_LOAD_FALLBACK(sched_bpf, skel, env->filter, err, with_now || more, ({
			bpf_program__set_autoload(skel->progs.cpu_now, with_now);
			if (!runq) { /* the exec hook serves the runq part alone */
				bpf_program__set_autoload(skel->progs.sched_exec_btf, false);
				bpf_program__set_autoload(skel->progs.sched_exec_raw, false);
			}
			skel->rodata->cpu_on = cpu;
			skel->rodata->runq_on = runq;
			skel->rodata->unseen_tgid = unseen_tgid();
			skel->rodata->nr_cpus = libbpf_num_possible_cpus();
			skel->rodata->samples_on = samples;
			skel->rodata->slow_ns = env->runq_slow_us * 1000;
			if (samples)
				bpf_map__set_max_entries(skel->maps.samples, 16 << 20);
		}));
	}
	if (!err && sched_bpf__attach(skel))
		err = -errno;
	if (err) {
		sched_bpf__destroy(skel);
		skel = NULL;
	}
	*out = skel;
	return err;
}

struct sched_bpf *sched_get(const struct probe_env *env, enum sched_part part, char *why,
			    size_t whylen)
{
	struct sched_bpf *skel = NULL;
	int err;

	pthread_mutex_lock(&shared_lock);
	/* both parts share only when both probes are to start */
	if (!shared_tried && !probe_forced_failure("cpu") && !probe_forced_failure("runq"))
		load(&shared, env, true, true, true);
	shared_tried = true;
	if (shared) {
		shared_users++;
		skel = shared;
	}
	pthread_mutex_unlock(&shared_lock);
	if (skel)
		return skel;
	err = load(&skel, env, part == SCHED_CPU, part == SCHED_RUNQ, false);
	if (err) {
		probe_why(why, whylen, part == SCHED_CPU ? "sched_switch" : "sched_switch (run_delay)",
			  err);
		errno = -err;
	}
	return skel;
}

void sched_put(struct sched_bpf *skel)
{
	if (!skel)
		return;
	pthread_mutex_lock(&shared_lock);
	if (skel == shared) {
		if (--shared_users == 0) { /* the next start loads afresh */
			sched_bpf__destroy(skel);
			shared = NULL;
			shared_tried = false;
		}
	} else {
		sched_bpf__destroy(skel);
	}
	pthread_mutex_unlock(&shared_lock);
}

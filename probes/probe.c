#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "probes/probe.h"

void probe_pick_variant(struct bpf_object *obj, bool btf)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);

		if (!strncmp(sec, "tp_btf/", 7))
			bpf_program__set_autoload(prog, btf);
		else if (!strncmp(sec, "raw_tp/", 7))
			bpf_program__set_autoload(prog, !btf);
	}
}

struct bpf_program *probe_pick(struct bpf_object *obj, const char *btf, const char *raw)
{
	struct bpf_program *a = bpf_object__find_program_by_name(obj, btf);

	return bpf_program__autoload(a) ? a : bpf_object__find_program_by_name(obj, raw);
}

/* libbpf has one print hook for the process; objects load on several
 * threads at once, so muting is a flag of the loading thread that the
 * hook consults, in front of whatever hook was installed before. */
static _Thread_local bool muted;
static libbpf_print_fn_t unmuted_print;
static pthread_once_t mute_hook_once = PTHREAD_ONCE_INIT;

static int print_unless_muted(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return muted || !unmuted_print ? 0 : unmuted_print(level, fmt, ap);
}

static void install_mute_hook(void)
{
	unmuted_print = libbpf_set_print(print_unless_muted);
}

int probe_quiet_load(int (*load)(void *), void *skel, bool fallback_left)
{
	int err;

	pthread_once(&mute_hook_once, install_mute_hook);
	muted = fallback_left;
	err = load(skel);
	muted = false;
	return err ? (errno ? -errno : err) : 0;
}

void probe_why(char *why, size_t len, const char *what, int err)
{
	if (err == -EPERM || err == -EACCES)
		snprintf(why, len, "%s: permission denied (needs root or CAP_BPF+CAP_PERFMON)",
			 what);
	else if (err == -ENOENT)
		snprintf(why, len, "%s: tracepoint or BTF type missing on this kernel", what);
	else
		snprintf(why, len, "%s: %s", what, strerror(-err));
}

uint64_t probe_lost_count(int map_fd, uint64_t prev)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t per_cpu[ncpus > 0 ? ncpus : 1], sum = 0;
	uint32_t zero = 0;

	if (ncpus <= 0 || bpf_map_lookup_elem(map_fd, &zero, per_cpu))
		return prev;
	for (int i = 0; i < ncpus; i++)
		sum += per_cpu[i];
	return sum;
}

uint64_t probe_mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

int64_t probe_mono_to_real(void)
{
	struct timespec r;

	clock_gettime(CLOCK_REALTIME, &r);
	return r.tv_sec * 1000000000ll + r.tv_nsec - (int64_t)probe_mono_ns();
}

bool probe_forced_failure(const char *name)
{
	const char *list = getenv("EBTOP_FAIL_PROBE");
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return false;
}

void probe_switch_all_cpus(void)
{
	cpu_set_t orig, one;

	if (sched_getaffinity(0, sizeof(orig), &orig))
		return;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &orig))
			continue;
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		sched_setaffinity(0, sizeof(one), &one); /* migrates us there now */
	}
	sched_setaffinity(0, sizeof(orig), &orig);
}

char *probe_read_all(int fd, size_t *len)
{
	return probe_read_max(fd, SIZE_MAX, len);
}

char *probe_read_max(int fd, size_t max, size_t *len)
{
	size_t cap = 64 * 1024;
	char *buf = malloc(cap);
	ssize_t n;

	*len = 0;
	if (!buf) {
		errno = ENOMEM;
		return NULL;
	}
	for (;;) {
		if (cap - *len < 4096) {
			char *grown = realloc(buf, cap *= 2);

			if (!grown) {
				n = -1;
				errno = ENOMEM;
				break;
			}
			buf = grown;
		}
		n = read(fd, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += n;
		if (*len > max) {
			n = -1;
			errno = EFBIG;
			break;
		}
	}
	if (n < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *probe_run_iter(struct bpf_link *link, size_t *len)
{
	int fd = bpf_iter_create(bpf_link__fd(link)), err;
	char *buf;

	*len = 0;
	if (fd < 0)
		return NULL;
	buf = probe_read_all(fd, len);
	err = errno;
	close(fd);
	errno = err;
	return buf;
}

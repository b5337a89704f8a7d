/* exec probe: a lossless exec stream. The ring buffer is drained whenever
 * its fd is readable and before every collect; records go into a bounded
 * history (shown by the pane) and into the list of records since the last
 * collect (what one --json document carries). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "probes/filter.h"
#include "probes/probe.h"
#include "probes/tracefs.h"
#include "bpf/exec.h"
#include "exec.skel.h"

#define HISTORY_MAX 10000

struct exec_probe {
	struct exec_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *links[8];
	int nlinks;
	char note[NOTE_LEN];
	/* history: a ring of HISTORY_MAX records, oldest at head */
	struct exec_rec *hist[HISTORY_MAX];
	size_t head, count;
	uint64_t dropped;
	uint64_t seq;
	size_t fresh;              /* records since the last collect */
	uint64_t lost_seen, lost_reported;
	int64_t mono_to_real;      /* ns to add to a bpf timestamp */
};

static void history_add(struct exec_probe *p, struct exec_rec *r)
{
	r->seq = ++p->seq;
	r->refs = 1;
	if (p->count == HISTORY_MAX) {
		exec_rec_put(p->hist[p->head]);
		p->head = (p->head + 1) % HISTORY_MAX;
		p->count--;
		p->dropped++;
	}
	p->hist[(p->head + p->count++) % HISTORY_MAX] = r;
	p->fresh++;
}

/* A marker in the stream where the kernel had to drop records. */
static void mark_losses(struct exec_probe *p)
{
	uint64_t now = probe_lost_count(bpf_map__fd(p->skel->maps.lost), p->lost_seen);
	struct exec_rec *r;

	if (now == p->lost_seen || !(r = calloc(1, sizeof(*r))))
		return;
	r->lost_before = now - p->lost_seen;
	clock_gettime(CLOCK_REALTIME, &r->time);
	p->lost_seen = now;
	history_add(p, r);
}

static char **split_args(const char *buf, size_t len, int *argc)
{
	char **argv = NULL;
	size_t i = 0;

	*argc = 0;
	while (i < len) {
		size_t n = strnlen(buf + i, len - i);
		char **grown = realloc(argv, (*argc + 1) * sizeof(*argv));

		if (!grown)
			break;
		argv = grown;
		argv[*argc] = strndup(buf + i, n);
		if (!argv[*argc])
			break;
		(*argc)++;
		i += n + 1;
	}
	return argv;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct exec_probe *p = ctx;
	const struct exec_event *e = data;
	struct exec_rec *r;
	int64_t ns;
	size_t args_len;

	if (size < offsetof(struct exec_event, args) || !(r = calloc(1, sizeof(*r))))
		return 0;
	ns = e->ts_ns + p->mono_to_real;
	r->time.tv_sec = ns / 1000000000;
	r->time.tv_nsec = ns % 1000000000;
	r->pid = e->pid;
	r->ppid = e->ppid;
	r->uid = e->uid;
	r->ret = e->ret;
	r->truncated = e->truncated;
	memcpy(r->comm, e->comm, sizeof(r->comm));
	r->comm[sizeof(r->comm) - 1] = '\0';
	r->filename = strndup(e->filename, sizeof(e->filename));
	args_len = e->args_len;
	if (args_len > size - offsetof(struct exec_event, args))
		args_len = size - offsetof(struct exec_event, args);
	r->argv = split_args(e->args, args_len, &r->argc);
	history_add(p, r);
	return 0;
}

static void exec_drain(void *state)
{
	struct exec_probe *p = state;

	p->mono_to_real = probe_mono_to_real();
	ring_buffer__consume(p->rb);
	mark_losses(p);
}

static int exec_fd(void *state)
{
	return ring_buffer__epoll_fd(((struct exec_probe *)state)->rb);
}

static void exec_stop(void *state)
{
	struct exec_probe *p = state;

	if (!p)
		return;
	for (int i = 0; i < p->nlinks; i++)
		bpf_link__destroy(p->links[i]);
	ring_buffer__free(p->rb);
	exec_bpf__destroy(p->skel);
	for (size_t i = 0; i < p->count; i++)
		exec_rec_put(p->hist[(p->head + i) % HISTORY_MAX]);
	free(p);
}

/* EBTOP_EXEC_RINGBUF=bytes (a power of two, at least a page) sizes the
 * ring; tests use a tiny one to force losses. */
static void size_ring(struct exec_bpf *skel)
{
	const char *env = getenv("EBTOP_EXEC_RINGBUF");
	unsigned long v = env ? strtoul(env, NULL, 0) : 0;

	if (v >= 4096 && !(v & (v - 1)))
		bpf_map__set_max_entries(skel->maps.events, v);
}

/* Mounting tracefs may unshare the mount namespace, which a process with
 * threads cannot do: done before the probes load on several threads. */
static void exec_prepare(void)
{
	char why[NOTE_LEN];

	tracefs_ensure(why, sizeof(why));
}

static void *exec_start(const struct probe_env *env, char *why, size_t whylen)
{
	struct exec_probe *p = calloc(1, sizeof(*p));
	bool syscalls = tracefs_ensure(p ? p->note : why, p ? sizeof(p->note) : whylen) == 0;
	struct bpf_program *prog;
	int err = 0;

	if (!p)
		return NULL;
	/* a failed exec is seen only through the syscall tracepoints */
	PROBE_OPEN_LOAD_CONFIGURED(exec_bpf, p->skel, env->filter, err, ({
		bpf_object__for_each_program(prog, p->skel->obj)
			if (!strncmp(bpf_program__section_name(prog), "tracepoint/", 11))
				bpf_program__set_autoload(prog, syscalls);
		size_ring(p->skel);
	}));
	if (!err) {
		bpf_object__for_each_program(prog, p->skel->obj) {
			struct bpf_link *l;

			if (!bpf_program__autoload(prog))
				continue;
			l = bpf_program__attach(prog);
			if (l && prog == p->skel->progs.exec_exit) {
				p->links[p->nlinks++] = l;
				l = bpf_program__attach_tracepoint(prog, "syscalls", "sys_exit_execveat");
			}
			if (!l) {
				err = -errno;
				break;
			}
			p->links[p->nlinks++] = l;
		}
	}
	if (!err) {
		p->rb = ring_buffer__new(bpf_map__fd(p->skel->maps.events), on_event, p, NULL);
		if (!p->rb)
			err = -errno;
	}
	if (err) {
		probe_why(why, whylen, "sched_process_exec", err);
		exec_stop(p);
		errno = -err;
		return NULL;
	}
	if (!syscalls) {
		char reason[sizeof(p->note)];

		memcpy(reason, p->note, sizeof(reason));
		snprintf(p->note, sizeof(p->note), "failed execs not shown: %.120s", reason);
	}
	p->mono_to_real = probe_mono_to_real();
	return p;
}

static int exec_collect(void *state, struct snapshot *s, double interval_s)
{
	struct exec_probe *p = state;
	struct exec_snap *es = &s->exec;
	size_t events = 0;

	exec_drain(p);
	es->recs = malloc((p->count ? p->count : 1) * sizeof(*es->recs));
	if (!es->recs)
		return -ENOMEM;
	for (size_t i = 0; i < p->count; i++) {
		struct exec_rec *r = p->hist[(p->head + i) % HISTORY_MAX];

		r->refs++;
		es->recs[i] = r;
		if (i >= p->count - (p->fresh < p->count ? p->fresh : p->count) && !r->lost_before)
			events++;
	}
	es->n = p->count;
	es->nnew = p->fresh < p->count ? p->fresh : p->count;
	es->lost_total = p->lost_seen;
	es->lost = p->lost_seen - p->lost_reported;
	es->dropped = p->dropped;
	es->events = events;
	es->rate = interval_s > 0 ? events / interval_s : 0;
	snprintf(es->note, sizeof(es->note), "%s", p->note);
	p->lost_reported = p->lost_seen;
	p->fresh = 0;
	return 0;
}

static void exec_reset(void *state)
{
	struct exec_probe *p = state;

	/* the stream itself has no baseline; only "new since" restarts */
	p->fresh = 0;
	p->lost_reported = p->lost_seen;
}

const struct probe_ops exec_probe_ops = {
	.prepare = exec_prepare,
	.start = exec_start,
	.collect = exec_collect,
	.reset = exec_reset,
	.stop = exec_stop,
	.fd = exec_fd,
	.drain = exec_drain,
};

/* tcp probe: live connections from a bpf_iter dump of the kernel's TCP
 * tables each refresh (exact byte counters, rates from the previous dump),
 * closed ones from a ring buffer of close events kept in a bounded history.
 * Sockets open before ebtop started get their owners from a one-time
 * iter/task_file pass over every process's file table. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "probes/filter.h"
#include "probes/probe.h"
#include "bpf/tcp.h"
#include "tcp.skel.h"

#define CLOSED_MAX 1000        /* closed connections kept for the pane and snapshots */

/* What the previous dump said about a connection, for rates. */
struct seen {
	uint64_t sk, born;
	uint64_t tx, rx;
	uint32_t retransmits;
};

struct tcp_probe {
	struct tcp_bpf *skel;
	struct bpf_link *links[6];  /* the state changes, then the extra hooks */
	struct bpf_link *iter;
	struct ring_buffer *rb;
	char note[NOTE_LEN];
	struct seen *prev;
	size_t nprev;
	bool have_prev;
	uint64_t last_dump_ns;     /* bpf clock of the previous dump */
	struct tcp_row closed[CLOSED_MAX];   /* ring, oldest at head */
	size_t head, count;
	struct tcp_row *fresh;     /* all closed since the last collect */
	size_t nfresh, fresh_cap;
	uint64_t closed_total;
	uint64_t lost_seen, lost_reported;
	int64_t mono_to_real;
	int snmp_fd;               /* /proc/net/snmp: the segment counters */
	char mark[320];            /* those and the changes count, at the last dump */
	char *dump;                /* the last dump's records, still exact while */
	size_t dump_len;           /* the mark stays the same */
};

/* The identity a row keeps across refreshes: a socket's address alone can
 * be reused by a later socket, its birth time tells them apart. */
static uint64_t conn_id(const struct tcp_conn *c)
{
	return c->sk ^ (c->born_ns * 0x9e3779b97f4a7c15ull);
}

#define BIT(st) (1u << (st))
#define ST_ESTABLISHED 1
#define ST_SYN_SENT 2
#define ST_LISTEN 10

/* since_ns: the previous dump, 0 when there was none (opened stays off) */
static void to_row(const struct tcp_conn *c, struct tcp_row *r, uint64_t now_ns, uint64_t since_ns)
{
	bool active = c->states & BIT(ST_SYN_SENT);

	memset(r, 0, sizeof(*r));
	r->id = conn_id(c);
	r->pid = c->tgid;
	r->uid = c->uid;
	r->family = c->family;
	r->sport = c->sport;
	r->dport = c->dport;
	r->state = c->state;
	r->states = c->states;
	r->preexisting = c->flags & TCP_PREEXISTING;
	memcpy(r->saddr, c->saddr, sizeof(r->saddr));
	memcpy(r->daddr, c->daddr, sizeof(r->daddr));
	memcpy(r->comm, c->comm, sizeof(r->comm));
	r->comm[sizeof(r->comm) - 1] = '\0';
	r->tx_bytes = c->tx_bytes;
	r->rx_bytes = c->rx_bytes;
	if (c->born_ns && now_ns > c->born_ns)
		r->age_s = (now_ns - c->born_ns) / 1e9;
	r->srtt_us = c->srtt_us;
	r->rttvar_us = c->rttvar_us;
	r->cwnd = c->cwnd;
	r->retrans = c->total_retrans;
	r->connect_ms = c->connect_ns ? c->connect_ns / 1e6 : -1;
	r->opened = active && since_ns && c->born_ns > since_ns;
	r->reset = c->flags & TCP_RESET_RECEIVED ? TCP_RESET_BY_PEER
		   : c->flags & TCP_RESET_SENT   ? TCP_RESET_BY_US
						 : TCP_RESET_NONE;
}

/* A connection's end: an active open that never got established failed,
 * with the error the kernel gave it (refused by a reset, timed out). */
static void ended(const struct tcp_conn *c, struct tcp_row *r)
{
	r->err = c->err;
	r->failed = (c->states & BIT(ST_SYN_SENT)) && !(c->states & BIT(ST_ESTABLISHED));
}

static int cmp_seen(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	if (x->sk != y->sk)
		return x->sk < y->sk ? -1 : 1;
	return x->born < y->born ? -1 : x->born > y->born;
}

/* Bytes moved since the previous dump. A connection born since then counts
 * from zero; one seen for the first time otherwise is a baseline (false). */
static bool bytes_since(const struct tcp_probe *p, const struct tcp_conn *c, struct tcp_row *r)
{
	struct seen key = { .sk = c->sk, .born = c->born_ns }, *was = NULL;

	if (!p->have_prev)
		return false;
	if (p->nprev)
		was = bsearch(&key, p->prev, p->nprev, sizeof(*p->prev), cmp_seen);
	if (was) {
		r->tx_new = c->tx_bytes >= was->tx ? c->tx_bytes - was->tx : 0;
		r->rx_new = c->rx_bytes >= was->rx ? c->rx_bytes - was->rx : 0;
		r->retrans_new = c->retransmits >= was->retransmits ? c->retransmits - was->retransmits : 0;
		return true;
	}
	if (c->born_ns <= p->last_dump_ns)
		return false;
	r->tx_new = c->tx_bytes;
	r->rx_new = c->rx_bytes;
	r->retrans_new = c->retransmits;
	return true;
}

/* The reset an abort sent after the close record went: that record,
 * among the last ones, says so. */
static void late_reset(struct tcp_probe *p, const struct tcp_conn *c)
{
	uint64_t id = conn_id(c);

	for (size_t i = p->count; i-- > 0;) {
		struct tcp_row *r = &p->closed[(p->head + i) % CLOSED_MAX];

		if (r->id == id && !r->reset) {
			r->reset = TCP_RESET_BY_US;
			break;
		}
	}
	for (size_t i = p->nfresh; i-- > 0;)
		if (p->fresh[i].id == id && !p->fresh[i].reset) {
			p->fresh[i].reset = TCP_RESET_BY_US;
			break;
		}
}

static int on_closed(void *ctx, void *data, size_t size)
{
	struct tcp_probe *p = ctx;
	const struct tcp_conn *c = data;
	struct tcp_row *r;
	int64_t ns;

	if (size < sizeof(*c))
		return 0;
	if (c->flags & TCP_LATE_RESET) {
		late_reset(p, c);
		return 0;
	}
	if (p->count == CLOSED_MAX) {
		p->head = (p->head + 1) % CLOSED_MAX;
		p->count--;
	}
	r = &p->closed[(p->head + p->count++) % CLOSED_MAX];
	to_row(c, r, c->end_ns, p->have_prev ? p->last_dump_ns : 0);
	ended(c, r);
	bytes_since(p, c, r); /* the last bytes, for per-process totals */
	ns = c->end_ns + p->mono_to_real;
	r->closed_at.tv_sec = ns / 1000000000;
	r->closed_at.tv_nsec = ns % 1000000000;
	p->closed_total++;
	if (p->nfresh == p->fresh_cap) {
		size_t cap = p->fresh_cap ? p->fresh_cap * 2 : 256;
		struct tcp_row *grown = realloc(p->fresh, cap * sizeof(*grown));

		if (!grown)
			return 0; /* the pane's history still has it */
		p->fresh = grown;
		p->fresh_cap = cap;
	}
	p->fresh[p->nfresh++] = *r;
	return 0;
}

static void tcp_drain(void *state)
{
	struct tcp_probe *p = state;

	p->mono_to_real = probe_mono_to_real();
	ring_buffer__consume(p->rb);
	p->lost_seen = probe_lost_count(bpf_map__fd(p->skel->maps.lost), p->lost_seen);
}

static int tcp_fd(void *state)
{
	return ring_buffer__epoll_fd(((struct tcp_probe *)state)->rb);
}

static void tcp_stop(void *state)
{
	struct tcp_probe *p = state;

	if (!p)
		return;
	for (size_t i = 0; i < sizeof(p->links) / sizeof(p->links[0]); i++)
		bpf_link__destroy(p->links[i]);
	bpf_link__destroy(p->iter);
	ring_buffer__free(p->rb);
	tcp_bpf__destroy(p->skel);
	if (p->snmp_fd >= 0)
		close(p->snmp_fd);
	free(p->dump);
	free(p->prev);
	free(p->fresh);
	free(p);
}

/* The hooks beside the state changes. Without one the pane still works
 * with less in it, and its note says what is missing. */
static const struct extra_hook {
	const char *tracepoint, *prog, *without;
} extras[] = {
	{ "sock_send_length", "tcp_send", "owners only from connect/listen" },
	{ "sock_recv_length", "tcp_recv", "owners only from connect/listen" },
	{ "tcp_send_reset", "tcp_reset_sent", "resets sent unknown" },
	{ "tcp_receive_reset", "tcp_reset_received", "resets received unknown" },
	{ "tcp_retransmit_skb", "tcp_retransmit", "no retransmit rate" },
};
#define NEXTRA (sizeof(extras) / sizeof(extras[0]))
_Static_assert(sizeof(((struct tcp_probe *)0)->links) == (1 + NEXTRA) * sizeof(struct bpf_link *),
	       "a link for the state changes and each extra hook");

static bool has_tracepoint(const struct btf *vmlinux, const char *tp)
{
	char name[64];

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	return !vmlinux || btf__find_by_name_kind(vmlinux, name, BTF_KIND_TYPEDEF) >= 0;
}

/* Leaves out of the load the extra programs this kernel has no hook for;
 * false if it lacks the one the probe needs. */
static bool plan_hooks(struct tcp_probe *p, char *why, size_t whylen)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	bool ok = has_tracepoint(vmlinux, "inet_sock_set_state");

	if (!ok)
		snprintf(why, whylen, "tracepoint sock:inet_sock_set_state missing on this kernel");
	for (size_t i = 0; i < NEXTRA && ok; i++)
		if (!has_tracepoint(vmlinux, extras[i].tracepoint))
			bpf_program__set_autoload(
				bpf_object__find_program_by_name(p->skel->obj, extras[i].prog), false);
	btf__free(vmlinux);
	return ok;
}

/* Attaches what was loaded; the note names what is not there and what
 * that leaves out. */
static void attach_extras(struct tcp_probe *p)
{
	size_t len = 0;

	for (size_t i = 0; i < NEXTRA; i++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(p->skel->obj, extras[i].prog);

		if (bpf_program__autoload(prog) && (p->links[1 + i] = bpf_program__attach(prog)))
			continue;
		if (len < sizeof(p->note))
			len += snprintf(p->note + len, sizeof(p->note) - len, "%s%s not attached: %s",
					len ? "; " : "", extras[i].tracepoint, extras[i].without);
	}
}

/* Owners of the sockets already open: one pass of iter/task_file. */
static void seed_owners(struct tcp_probe *p)
{
	struct bpf_link *link = bpf_program__attach_iter(p->skel->progs.seed_owners, NULL);
	size_t len;
	char *out;

	if (!link) {
		size_t len = strlen(p->note);

		snprintf(p->note + len, sizeof(p->note) - len, "%sowners of connections older than "
			 "ebtop unknown until they send or receive", len ? "; " : "");
		return;
	}
	out = probe_run_iter(link, &len);
	free(out);
	bpf_link__destroy(link);
}

static void *tcp_start(const struct probe_env *env, char *why, size_t whylen)
{
	struct tcp_probe *p = calloc(1, sizeof(*p));
	const char *hook = "sock:inet_sock_set_state";
	int err;

	if (!p)
		return NULL;
	p->snmp_fd = open("/proc/net/snmp", O_RDONLY | O_CLOEXEC); /* -1: dump always */
	p->skel = tcp_bpf__open();
	if (!p->skel) {
		err = -errno;
		goto fail;
	}
	if (!plan_hooks(p, why, whylen)) {
		tcp_stop(p);
		errno = ENOENT;
		return NULL;
	}
	err = filter_reuse(env->filter, p->skel->obj);
	if (!err)
		err = tcp_bpf__load(p->skel) ? -errno : 0;
	if (err)
		goto fail;
	p->links[0] = bpf_program__attach(p->skel->progs.tcp_state);
	if (!p->links[0]) {
		err = -errno;
		goto fail;
	}
	attach_extras(p);
	hook = "iter/tcp";
	p->iter = bpf_program__attach_iter(p->skel->progs.dump_conns, NULL);
	if (!p->iter) {
		err = -errno;
		goto fail;
	}
	hook = "tcp ring buffer";
	p->rb = ring_buffer__new(bpf_map__fd(p->skel->maps.closed), on_closed, p, NULL);
	if (!p->rb) {
		err = -errno;
		goto fail;
	}
	p->mono_to_real = probe_mono_to_real();
	seed_owners(p);
	return p;
fail:
	probe_why(why, whylen, hook, err);
	tcp_stop(p);
	errno = -err;
	return NULL;
}

/* Whether the tables need a new dump. The last one is still exact while no
 * TCP segment came or went in this network namespace (the dump's scope:
 * every counter it shows moves only with one) and no state or owner
 * changed (the programs count those). An idle box then skips the walk of
 * every bucket of the established table, the larger part of its refresh;
 * a busy one dumps every time. */
static bool tables_moved(struct tcp_probe *p)
{
	char buf[8192], mark[sizeof(p->mark)];
	const char *tcp = NULL;
	ssize_t n = -1;
	bool moved;

	if (p->snmp_fd >= 0)
		n = pread(p->snmp_fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		tcp = strstr(buf, "\nTcp: "); /* the names, then the values */
		tcp = tcp ? strstr(tcp + 1, "\nTcp: ") : NULL;
	}
	if (!tcp)
		return true;
	snprintf(mark, sizeof(mark), "%llu %.*s",
		 (unsigned long long)__atomic_load_n(&p->skel->bss->changes, __ATOMIC_ACQUIRE),
		 (int)strcspn(tcp + 1, "\n"), tcp + 1);
	moved = !p->dump || strcmp(mark, p->mark);
	memcpy(p->mark, mark, sizeof(mark));
	return moved;
}

struct owned {
	uint32_t pid;
	bool closed;
	const struct tcp_row *r;
};

static int cmp_owned(const void *a, const void *b)
{
	const struct owned *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The interval per process, from its live connections and those that
 * closed in the interval (their last bytes and retransmissions). */
static int tcp_processes(struct tcp_snap *ts, double interval_s)
{
	struct owned *v = malloc((ts->n + ts->nfresh + 1) * sizeof(*v));
	size_t n = 0, np = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < ts->n; i++)
		if (ts->rows[i].pid)
			v[n++] = (struct owned){ ts->rows[i].pid, false, &ts->rows[i] };
	for (size_t i = 0; i < ts->nfresh; i++)
		if (ts->fresh[i].pid)
			v[n++] = (struct owned){ ts->fresh[i].pid, true, &ts->fresh[i] };
	qsort(v, n, sizeof(*v), cmp_owned);
	ts->procs = calloc(n ? n : 1, sizeof(*ts->procs));
	if (!ts->procs) {
		free(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct tcp_row *r = v[i].r;
		struct tcp_proc_row *p = np ? &ts->procs[np - 1] : NULL;

		if (!p || p->pid != v[i].pid) {
			p = &ts->procs[np++];
			p->pid = r->pid;
			memcpy(p->comm, r->comm, sizeof(p->comm));
		}
		p->connects += r->opened;
		if (!v[i].closed) {
			p->connections += r->state != ST_LISTEN;
			p->tx_per_s += r->tx_per_s;
			p->rx_per_s += r->rx_per_s;
			p->retrans_per_s += r->retrans_per_s;
			continue;
		}
		p->failed_connects += r->failed;
		if (interval_s > 0) {
			p->tx_per_s += r->tx_new / interval_s;
			p->rx_per_s += r->rx_new / interval_s;
			p->retrans_per_s += r->retrans_new / interval_s;
		}
	}
	ts->np = np;
	free(v);
	return 0;
}

static int tcp_collect(void *state, struct snapshot *s, double interval_s)
{
	struct tcp_probe *p = state;
	struct tcp_snap *ts = &s->tcp;
	const struct tcp_conn *c;
	struct seen *now_seen;
	size_t len, n;
	uint64_t now;
	char *buf;

	tcp_drain(p);
	now = probe_mono_ns();
	if (tables_moved(p)) {
		buf = probe_run_iter(p->iter, &len);
		if (!buf) {
			p->mark[0] = '\0'; /* the kept dump is older than the mark */
			return -errno;
		}
		free(p->dump);
		p->dump = buf;
		p->dump_len = len;
	}
	n = p->dump_len / sizeof(*c);
	c = (const struct tcp_conn *)p->dump;
	ts->rows = calloc(n ? n : 1, sizeof(*ts->rows));
	now_seen = calloc(n ? n : 1, sizeof(*now_seen));
	ts->closed = calloc(p->count ? p->count : 1, sizeof(*ts->closed));
	if (!ts->rows || !now_seen || !ts->closed) {
		free(now_seen);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct tcp_row *r = &ts->rows[i];

		to_row(&c[i], r, now, p->have_prev ? p->last_dump_ns : 0);
		if (bytes_since(p, &c[i], r) && interval_s > 0) {
			r->tx_per_s = r->tx_new / interval_s;
			r->rx_per_s = r->rx_new / interval_s;
			r->retrans_per_s = r->retrans_new / interval_s;
		}
		now_seen[i] = (struct seen){ c[i].sk, c[i].born_ns, c[i].tx_bytes, c[i].rx_bytes,
					     c[i].retransmits };
	}
	ts->n = n;
	qsort(now_seen, n, sizeof(*now_seen), cmp_seen);
	free(p->prev);
	p->prev = now_seen;
	p->nprev = n;
	p->have_prev = true;
	p->last_dump_ns = now;
	for (size_t i = 0; i < p->count; i++)
		ts->closed[i] = p->closed[(p->head + i) % CLOSED_MAX];
	ts->nclosed = p->count;
	/* hand the interval's closed list over; the next one starts empty */
	ts->fresh = p->fresh;
	ts->nfresh = p->nfresh;
	p->fresh = NULL;
	p->nfresh = p->fresh_cap = 0;
	ts->closed_total = p->closed_total;
	ts->lost_total = p->lost_seen;
	ts->lost = p->lost_seen - p->lost_reported;
	snprintf(ts->note, sizeof(ts->note), "%s", p->note);
	p->lost_reported = p->lost_seen;
	return tcp_processes(ts, interval_s);
}

static void tcp_reset(void *state)
{
	struct tcp_probe *p = state;

	/* a new filter: no rate mixes connections across it, and the next
	 * dump applies it */
	p->have_prev = false;
	p->mark[0] = '\0';
	p->nfresh = 0;
	p->lost_reported = p->lost_seen;
}

const struct probe_ops tcp_probe_ops = {
	.start = tcp_start,
	.collect = tcp_collect,
	.reset = tcp_reset,
	.stop = tcp_stop,
	.fd = tcp_fd,
	.drain = tcp_drain,
};

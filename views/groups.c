#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/histogram.h"
#include "views/groups.h"
#include "views/view.h"

/* path -> group index, open addressing; the table is twice the rows */
struct index {
	size_t cap;
	long *slot;
};

static uint64_t hash(const char *s)
{
	return fnv1a(s, strlen(s), FNV1A_SEED);
}

/* The group of a process in path (NULL: unknown), made if new. */
static struct group *group_of(struct groups *g, struct index *ix, const char *path,
			      enum group_level level)
{
	char key[512];
	size_t i;

	if (!path)
		snprintf(key, sizeof(key), "?");
	else if (level == GROUP_SLICE)
		cg_slice(path, key, sizeof(key));
	else
		snprintf(key, sizeof(key), "%s", path);
	for (i = hash(key) % ix->cap; ix->slot[i] >= 0; i = (i + 1) % ix->cap)
		if (!strcmp(g->g[ix->slot[i]].path, key))
			return &g->g[ix->slot[i]];
	ix->slot[i] = (long)g->n;
	struct group *n = &g->g[g->n++];

	memset(n, 0, sizeof(*n));
	snprintf(n->path, sizeof(n->path), "%s", key);
	if (path)
		n->kind = cg_name(key, n->name, sizeof(n->name));
	else
		snprintf(n->name, sizeof(n->name), "(cgroup not known)"), n->kind = CG_OTHER;
	return n;
}

/* pid -> cgroup path, from the cpu rows and the owners table: looked up
 * once a row, so sorted (snapshot_cgroup_of walks the rows) */
struct paths {
	size_t n;
	struct pid_path {
		uint32_t pid;
		const char *path;
	} *v;
};

static int cmp_pid_path(const void *a, const void *b)
{
	uint32_t x = ((const struct pid_path *)a)->pid, y = ((const struct pid_path *)b)->pid;

	return (x > y) - (x < y);
}

static int paths_build(const struct snapshot *s, struct paths *p)
{
	p->n = 0;
	p->v = malloc((s->cpu.n + s->nowners + 1) * sizeof(*p->v));
	if (!p->v)
		return -ENOMEM;
	for (size_t i = 0; i < s->cpu.n; i++)
		p->v[p->n++] = (struct pid_path){ s->cpu.rows[i].pid, s->cpu.rows[i].cgroup };
	for (size_t i = 0; i < s->nowners; i++)
		p->v[p->n++] = (struct pid_path){ s->owners[i].pid, s->owners[i].path };
	qsort(p->v, p->n, sizeof(*p->v), cmp_pid_path);
	return 0;
}

static const char *path_of(const struct paths *p, uint32_t pid)
{
	struct pid_path key = { pid, NULL }, *hit;

	if (!pid || !p->n)
		return NULL;
	hit = bsearch(&key, p->v, p->n, sizeof(key), cmp_pid_path);
	return hit ? hit->path : NULL;
}

static size_t rows_of(const struct snapshot *s, enum pane_id pane)
{
	switch (pane) {
	case PANE_CPU: return s->cpu.n;
	case PANE_RUNQ: return s->runq.np + s->runq.nculprits;
	case PANE_SYS: return s->sys.np;
	case PANE_TCP: return s->tcp.n;
	default: return 0;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* a connection's owner counts once in its group: the distinct (group,
 * pid) pairs */
static void count_owners(struct groups *out, uint64_t *pairs, size_t n)
{
	qsort(pairs, n, sizeof(*pairs), cmp_u64);
	for (size_t i = 0; i < n; i++)
		if (!i || pairs[i] != pairs[i - 1])
			out->g[pairs[i] >> 32].members++;
}

int groups_build(const struct snapshot *s, enum pane_id pane, enum group_level level,
		 struct groups *out)
{
	size_t n = rows_of(s, pane), nseen = 0;
	struct index ix = { .cap = 2 * n + 1 };
	struct paths paths = { 0 };
	uint64_t *seen = NULL;

	memset(out, 0, sizeof(*out));
	if (!n)
		return 0;
	ix.slot = malloc(ix.cap * sizeof(*ix.slot));
	out->g = calloc(n, sizeof(*out->g));
	if (pane == PANE_TCP)
		seen = calloc(n, sizeof(*seen));
	if (!ix.slot || !out->g || (pane == PANE_TCP && !seen) || paths_build(s, &paths)) {
		free(ix.slot);
		free(seen);
		free(paths.v);
		groups_free(out);
		return -ENOMEM;
	}
	memset(ix.slot, 0xff, ix.cap * sizeof(*ix.slot)); /* -1: empty */
	for (size_t i = 0; i < n; i++) {
		struct group *g;

		switch (pane) {
		case PANE_CPU: {
			const struct cpu_row *r = &s->cpu.rows[i];

			g = group_of(out, &ix, r->cgroup, level);
			g->members++;
			g->cpu_pct += r->pct;
			g->oncpu_ns += r->oncpu_ns;
			break;
		}
		case PANE_RUNQ: {
			const struct runq_proc_row *r = &s->runq.procs[i];

			if (i >= s->runq.np) { /* who made them wait, after who waited */
				const struct runq_culprit_row *c = &s->runq.culprits[i - s->runq.np];

				g = group_of(out, &ix, path_of(&paths, c->pid), level);
				g->caused_ns += c->caused_ns;
				break;
			}
			g = group_of(out, &ix, path_of(&paths, r->pid), level);
			g->members++;
			g->waits += r->count;
			for (int b = 0; b < HIST_BUCKETS; b++)
				g->hist[b] += r->hist[b];
			g->max_us = r->max_us > g->max_us ? r->max_us : g->max_us;
			break;
		}
		case PANE_SYS: {
			const struct sys_proc_row *r = &s->sys.procs[i];

			g = group_of(out, &ix, path_of(&paths, r->pid), level);
			g->members++;
			g->calls += r->count;
			g->errors += r->errors;
			g->per_s += r->per_s;
			break;
		}
		default: {
			const struct tcp_row *r = &s->tcp.rows[i];

			g = group_of(out, &ix, path_of(&paths, r->pid), level);
			if (r->pid)
				seen[nseen++] = (uint64_t)(g - out->g) << 32 | r->pid;
			g->conns++;
			g->tx += r->tx_bytes;
			g->rx += r->rx_bytes;
			g->tx_per_s += r->tx_per_s;
			g->rx_per_s += r->rx_per_s;
			break;
		}
		}
	}
	if (seen)
		count_owners(out, seen, nseen);
	free(ix.slot);
	free(seen);
	free(paths.v);
	return 0;
}

void groups_free(struct groups *g)
{
	free(g->g);
	memset(g, 0, sizeof(*g));
}

enum { GC_NAME, GC_KIND, GC_MEMBERS };

static const struct column cpu_cols[] = {
	{ "GROUP", 20, ALIGN_LEFT, false, 0 }, { "KIND", 9, ALIGN_LEFT, false, 2 },
	{ "PROCS", 5, ALIGN_RIGHT, true, 1 },  { "CPU%", 6, ALIGN_RIGHT, true, 0 },
	{ "ONCPU", 8, ALIGN_RIGHT, true, 3 },  { GROUP_PATH_COLUMN, 6, ALIGN_LEFT, false, 4 },
};
static const struct column runq_cols[] = {
	{ "GROUP", 20, ALIGN_LEFT, false, 0 }, { "KIND", 9, ALIGN_LEFT, false, 2 },
	{ "PROCS", 5, ALIGN_RIGHT, true, 1 },  { "WAITS", 7, ALIGN_RIGHT, true, 3 },
	{ "P50", 8, ALIGN_RIGHT, true, 3 },    { "P99", 8, ALIGN_RIGHT, true, 0 },
	{ "MAX<", 8, ALIGN_RIGHT, true, 1 },   { "CAUSED", 8, ALIGN_RIGHT, true, 0 },
	{ GROUP_PATH_COLUMN, 6, ALIGN_LEFT, false, 4 },
};
static const struct column sys_cols[] = {
	{ "GROUP", 20, ALIGN_LEFT, false, 0 },  { "KIND", 9, ALIGN_LEFT, false, 2 },
	{ "PROCS", 5, ALIGN_RIGHT, true, 1 },   { "CALLS/s", 9, ALIGN_RIGHT, true, 0 },
	{ "ERRORS", 8, ALIGN_RIGHT, true, 3 },  { GROUP_PATH_COLUMN, 6, ALIGN_LEFT, false, 4 },
};
static const struct column tcp_cols[] = {
	{ "GROUP", 20, ALIGN_LEFT, false, 0 }, { "KIND", 9, ALIGN_LEFT, false, 2 },
	{ "PROCS", 5, ALIGN_RIGHT, true, 3 },  { "CONNS", 5, ALIGN_RIGHT, true, 0 },
	{ "TX/s", 8, ALIGN_RIGHT, true, 1 },   { "RX/s", 8, ALIGN_RIGHT, true, 1 },
	{ "TX", 8, ALIGN_RIGHT, true, 0 },     { "RX", 8, ALIGN_RIGHT, true, 0 },
	{ GROUP_PATH_COLUMN, 6, ALIGN_LEFT, false, 4 },
};

void groups_view(const struct snapshot *s, enum pane_id pane, enum group_level level,
		 struct pane_model *m)
{
	static const struct {
		const struct column *cols;
		int ncol;
	} layout[] = {
		[PANE_CPU] = { cpu_cols, 6 }, [PANE_RUNQ] = { runq_cols, 9 },
		[PANE_SYS] = { sys_cols, 6 }, [PANE_TCP] = { tcp_cols, 9 },
	};
	struct groups g;
	char a[32], b[32];

	m->table.col = layout[pane].cols;
	m->table.ncol = layout[pane].ncol;
	m->table.expand = layout[pane].ncol - 1;
	if (groups_build(s, pane, level, &g))
		return;
	model_seg(m, ROLE_DIM, "  %zu %s (g: %s)", g.n, level == GROUP_SLICE ? "slices" : "groups",
		  level == GROUP_SLICE ? "off" : "by slice");
	for (size_t i = 0; i < g.n; i++) {
		const struct group *r = &g.g[i];

		table_row(&m->table, 0);
		m->table.row[m->table.nrow - 1].id = hash(r->path) | 1; /* the selection follows it */
		table_cell(&m->table, 0, "%s", r->name);
		table_cell(&m->table, 0, "%s", cg_kind_name(r->kind));
		table_cell(&m->table, r->members, "%u", r->members);
		switch (pane) {
		case PANE_CPU:
			table_cell(&m->table, r->cpu_pct, "%.1f", r->cpu_pct);
			fmt_duration_ns(a, sizeof(a), r->oncpu_ns);
			table_cell(&m->table, r->oncpu_ns, "%s", a);
			break;
		case PANE_RUNQ: {
			double p50 = hist_percentile(r->hist, HIST_BUCKETS, 50);
			double p99 = hist_percentile(r->hist, HIST_BUCKETS, 99);

			table_cell(&m->table, r->waits, "%llu", (unsigned long long)r->waits);
			fmt_us(a, sizeof(a), p50);
			table_cell(&m->table, p50, "%s", a);
			fmt_us(b, sizeof(b), p99);
			table_cell(&m->table, p99, "%s", b);
			fmt_us(a, sizeof(a), r->max_us);
			table_cell(&m->table, r->max_us, "%s", a);
			fmt_us(b, sizeof(b), r->caused_ns / 1e3);
			table_cell(&m->table, r->caused_ns, "%s", b);
			break;
		}
		case PANE_SYS:
			fmt_count(a, sizeof(a), r->per_s);
			table_cell(&m->table, r->per_s, "%s", a);
			table_cell(&m->table, r->errors, "%llu", (unsigned long long)r->errors);
			break;
		default:
			fmt_bytes(a, sizeof(a), r->tx_per_s);
			table_cell(&m->table, r->tx_per_s, "%s", a);
			fmt_bytes(b, sizeof(b), r->rx_per_s);
			table_cell(&m->table, r->rx_per_s, "%s", b);
			fmt_bytes(a, sizeof(a), r->tx);
			table_cell(&m->table, r->tx, "%s", a);
			fmt_bytes(b, sizeof(b), r->rx);
			table_cell(&m->table, r->rx, "%s", b);
			break;
		}
		table_cell(&m->table, 0, "%s", r->path);
	}
	groups_free(&g);
}

cJSON *groups_json(const struct snapshot *s, enum pane_id pane)
{
	cJSON *arr = cJSON_CreateArray();
	struct groups g;

	if (groups_build(s, pane, GROUP_UNIT, &g))
		return arr;
	for (size_t i = 0; i < g.n; i++) {
		const struct group *r = &g.g[i];
		cJSON *o = cJSON_CreateObject();

		json_add_text(o, "cgroup", r->path);
		json_add_text(o, "name", r->name);
		json_str(o, "kind", cg_kind_name(r->kind));
		json_num(o, pane == PANE_TCP ? "owners" : "processes", r->members);
		switch (pane) {
		case PANE_CPU:
			json_num(o, "cpu_pct", r->cpu_pct);
			json_num(o, "oncpu_ns", r->oncpu_ns);
			break;
		case PANE_RUNQ:
			json_num(o, "count", r->waits);
			json_num(o, "p50_us", hist_percentile(r->hist, HIST_BUCKETS, 50));
			json_num(o, "p99_us", hist_percentile(r->hist, HIST_BUCKETS, 99));
			json_num(o, "max_us", r->max_us);
			json_num(o, "caused_us", r->caused_ns / 1e3);
			break;
		case PANE_SYS:
			json_num(o, "count", r->calls);
			json_num(o, "per_s", r->per_s);
			json_num(o, "errors", r->errors);
			break;
		default:
			json_num(o, "connections", r->conns);
			json_num(o, "tx_bytes", r->tx);
			json_num(o, "rx_bytes", r->rx);
			json_num(o, "tx_per_s", r->tx_per_s);
			json_num(o, "rx_per_s", r->rx_per_s);
			break;
		}
		cJSON_AddItemToArray(arr, o);
	}
	groups_free(&g);
	return arr;
}

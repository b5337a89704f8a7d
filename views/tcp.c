/* Pane 4: TCP connections, live ones with rates and recently closed ones
 * with their lifetime, in one sortable table. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "views/groups.h"
#include "views/view.h"

#define RECENT_S 60   /* closed connections the pane lists: the last minute */

enum { COL_PID, COL_COMM, COL_STATE, COL_TXS, COL_RXS, COL_RTT, COL_RETRS, COL_TX, COL_RX,
       COL_CONN, COL_AGE, COL_LOCAL, COL_REMOTE, NCOL };

/* At 80 columns: the owner, state, bytes and peer; then, as the width
 * grows, rates, RTT and retransmissions, the local end, connect time and
 * age. */
static const struct column cols[NCOL] = {
	[COL_PID] = { "PID", 7, ALIGN_RIGHT, true, 0 },
	[COL_COMM] = { "COMM", 15, ALIGN_LEFT, false, 0 },
	[COL_STATE] = { "STATE", 11, ALIGN_LEFT, false, 0 },
	[COL_TXS] = { "TX/s", 8, ALIGN_RIGHT, true, 3 },
	[COL_RXS] = { "RX/s", 8, ALIGN_RIGHT, true, 3 },
	[COL_RTT] = { "RTT", 7, ALIGN_RIGHT, true, 3 },
	[COL_RETRS] = { "RETR/s", 6, ALIGN_RIGHT, true, 3 },
	[COL_TX] = { "TX", 8, ALIGN_RIGHT, true, 0 },
	[COL_RX] = { "RX", 8, ALIGN_RIGHT, true, 0 },
	[COL_CONN] = { "CONN", 7, ALIGN_RIGHT, true, 1 },
	[COL_AGE] = { "AGE", 7, ALIGN_RIGHT, true, 1 },
	[COL_LOCAL] = { "LOCAL", 21, ALIGN_LEFT, false, 2 },
	[COL_REMOTE] = { "REMOTE", 21, ALIGN_LEFT, false, 0 },
};

/* P: one row per owner process. */
enum { PCOL_PID, PCOL_COMM, PCOL_CONNS, PCOL_TXS, PCOL_RXS, PCOL_RETRS, PCOL_CONNS_S, PCOL_FAILED,
       NPCOL };

static const struct column proc_cols[NPCOL] = {
	[PCOL_PID] = { "PID", 7, ALIGN_RIGHT, true, 0 },
	[PCOL_COMM] = { "COMM", 15, ALIGN_LEFT, false, 0 },
	[PCOL_CONNS] = { "CONNS", 6, ALIGN_RIGHT, true, 0 },
	[PCOL_TXS] = { "TX/s", 8, ALIGN_RIGHT, true, 0 },
	[PCOL_RXS] = { "RX/s", 8, ALIGN_RIGHT, true, 0 },
	[PCOL_RETRS] = { "RETR/s", 6, ALIGN_RIGHT, true, 0 },
	[PCOL_CONNS_S] = { "CONN/s", 6, ALIGN_RIGHT, true, 0 },
	[PCOL_FAILED] = { "FAILED", 6, ALIGN_RIGHT, true, 0 },
};

/* How a connection ended, beyond a close: the errno of a failed connect
 * (refused: the peer reset the SYN) and the resets. */
static const struct {
	int err;
	const char *name;
} errors[] = {
	{ ECONNREFUSED, "refused" },
	{ ETIMEDOUT, "timed out" },
	{ EHOSTUNREACH, "unreachable" },
	{ ENETUNREACH, "unreachable" },
	{ ECONNRESET, "reset" },
	{ ECONNABORTED, "aborted" },
};

static const char *error_name(int err, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].err == err)
			return errors[i].name;
	if (!err)
		return "aborted"; /* a connect the process gave up */
	snprintf(buf, len, "errno %d", err);
	return buf;
}

static int error_number(const char *name)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (!strcmp(errors[i].name, name))
			return errors[i].err;
	return sscanf(name, "errno %d", &n) == 1 && n > 0 ? n : 0;
}

static const char *const reset_names[] = { [TCP_RESET_BY_US] = "sent", [TCP_RESET_BY_PEER] = "received" };

/* The kernel's TCP state numbers (include/net/tcp_states.h). */
static const char *const state_names[] = {
	[1] = "ESTABLISHED", [2] = "SYN_SENT", [3] = "SYN_RECV", [4] = "FIN_WAIT1",
	[5] = "FIN_WAIT2", [6] = "TIME_WAIT", [7] = "CLOSE", [8] = "CLOSE_WAIT",
	[9] = "LAST_ACK", [10] = "LISTEN", [11] = "CLOSING", [12] = "NEW_SYN_RECV",
};
#define ST_ESTABLISHED 1
#define ST_SYN_SENT 2
#define ST_LISTEN 10
#define NSTATES (int)(sizeof(state_names) / sizeof(state_names[0]))

const char *tcp_state_name(unsigned st)
{
	return st < (unsigned)NSTATES && state_names[st] ? state_names[st] : "?";
}

const char *tcp_show_name(enum tcp_show s)
{
	static const char *const names[TCP_SHOW_N] = { "all", "live", "established", "closed" };

	return names[s];
}

/* "1.2.3.4:80" or "[::1]:80"; an IPv4-mapped IPv6 address shows as IPv4. */
static void fmt_endpoint(char *buf, size_t len, const struct tcp_row *r, bool remote)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	const uint8_t *a = remote ? r->daddr : r->saddr;
	unsigned port = remote ? r->dport : r->sport;
	char ip[INET6_ADDRSTRLEN] = "?";

	if (r->family == AF_INET6 && memcmp(a, mapped, sizeof(mapped))) {
		inet_ntop(AF_INET6, a, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, port);
		return;
	}
	inet_ntop(AF_INET, r->family == AF_INET6 ? a + 12 : a, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, port);
}

static bool shown(const struct tcp_row *r, bool closed, const struct view_opts *o)
{
	if (!closed && r->state == ST_LISTEN && !o->tcp_listeners)
		return false;
	switch (o->tcp_show) {
	case TCP_SHOW_LIVE: return !closed;
	case TCP_SHOW_ESTABLISHED: return !closed && r->state == ST_ESTABLISHED;
	case TCP_SHOW_CLOSED: return closed;
	default: return true;
	}
}

/* A closed row's STATE: how it ended. */
static const char *end_name(const struct tcp_row *r, char *buf, size_t len)
{
	char err[24];

	if (r->failed)
		snprintf(buf, len, "(%s)", error_name(r->err, err, sizeof(err)));
	else if (r->reset)
		snprintf(buf, len, "(rst %s)", r->reset == TCP_RESET_BY_US ? "sent" : "recvd");
	else
		snprintf(buf, len, "(closed)");
	return buf;
}

static void add_row(struct table *t, const struct tcp_row *r, bool closed)
{
	bool listener = r->state == ST_LISTEN && !closed;
	char buf[64];

	table_row(t, r->pid);
	t->row[t->nrow - 1].id = r->id ^ closed;
	if (r->pid)
		table_cell(t, r->pid, "%u", r->pid);
	else
		table_cell(t, 0, "-");
	table_cell(t, 0, "%s", r->pid ? r->comm : "?");
	table_cell(t, 0, "%s", closed ? end_name(r, buf, sizeof(buf)) : tcp_state_name(r->state));
	fmt_bytes(buf, sizeof(buf), r->tx_per_s);
	table_cell(t, r->tx_per_s, "%s", closed ? "" : buf);
	fmt_bytes(buf, sizeof(buf), r->rx_per_s);
	table_cell(t, r->rx_per_s, "%s", closed ? "" : buf);
	fmt_us(buf, sizeof(buf), r->srtt_us);
	table_cell(t, r->srtt_us, "%s", listener || !r->srtt_us ? "" : buf);
	fmt_count(buf, sizeof(buf), r->retrans_per_s);
	table_cell(t, r->retrans_per_s, "%s", closed || listener ? "" : buf);
	fmt_bytes(buf, sizeof(buf), r->tx_bytes);
	table_cell(t, r->tx_bytes, "%s", buf);
	fmt_bytes(buf, sizeof(buf), r->rx_bytes);
	table_cell(t, r->rx_bytes, "%s", buf);
	fmt_duration_ns(buf, sizeof(buf), r->connect_ms * 1e6);
	table_cell(t, r->connect_ms, "%s", r->connect_ms >= 0 ? buf : "");
	fmt_duration_ns(buf, sizeof(buf), r->age_s * 1e9);
	/* a connection older than ebtop: its age is unknown */
	table_cell(t, r->age_s, "%s", r->preexisting ? "old" : buf);
	fmt_endpoint(buf, sizeof(buf), r, false);
	table_cell(t, 0, "%s", buf);
	fmt_endpoint(buf, sizeof(buf), r, true);
	table_cell(t, 0, "%s", buf);
}

static void proc_rows(const struct tcp_snap *t, double interval_s, struct table *tb)
{
	char a[32];

	for (size_t i = 0; i < t->np; i++) {
		const struct tcp_proc_row *p = &t->procs[i];

		table_row(tb, p->pid);
		table_cell(tb, p->pid, "%u", p->pid);
		table_cell(tb, 0, "%s", p->comm);
		table_cell(tb, p->connections, "%u", p->connections);
		fmt_bytes(a, sizeof(a), p->tx_per_s);
		table_cell(tb, p->tx_per_s, "%s", a);
		fmt_bytes(a, sizeof(a), p->rx_per_s);
		table_cell(tb, p->rx_per_s, "%s", a);
		fmt_count(a, sizeof(a), p->retrans_per_s);
		table_cell(tb, p->retrans_per_s, "%s", a);
		fmt_count(a, sizeof(a), interval_s > 0 ? p->connects / interval_s : 0);
		table_cell(tb, p->connects, "%s", a);
		table_cell(tb, p->failed_connects, "%u", p->failed_connects);
	}
}

static void tcp_build(const struct snapshot *s, const struct view_opts *o, struct pane_model *m)
{
	const struct tcp_snap *t = &s->tcp;
	size_t est = 0, listen = 0, recent = 0, failed = 0;
	double tx = 0, rx = 0, retrans = 0;
	bool conns = !o->group && !o->tcp_procs;
	char a[32], b[32];

	if (o->tcp_procs && !o->group)
		model_init(m, proc_cols, NPCOL, PCOL_COMM);
	else
		model_init(m, cols, NCOL, COL_REMOTE);
	for (size_t i = 0; i < t->n; i++) {
		est += t->rows[i].state == ST_ESTABLISHED;
		listen += t->rows[i].state == ST_LISTEN;
		tx += t->rows[i].tx_per_s;
		rx += t->rows[i].rx_per_s;
		retrans += t->rows[i].retrans_per_s;
		if (conns && shown(&t->rows[i], false, o))
			add_row(&m->table, &t->rows[i], false);
	}
	for (size_t i = 0; i < t->nclosed; i++) {
		const struct tcp_row *r = &t->closed[i];

		if (s->wall.tv_sec - r->closed_at.tv_sec > RECENT_S)
			continue;
		recent++;
		failed += r->failed;
		if (conns && shown(r, true, o))
			add_row(&m->table, r, true);
	}
	model_line(m);
	model_seg(m, ROLE_TITLE, "TCP ");
	fmt_bytes(a, sizeof(a), tx);
	fmt_bytes(b, sizeof(b), rx);
	model_seg(m, ROLE_NORMAL, "%zu connections (%zu established, %zu listening)  tx %s/s  rx %s/s",
		  t->n - listen, est, listen, a, b);
	fmt_count(a, sizeof(a), retrans);
	model_seg(m, retrans > 0 ? ROLE_WARN : ROLE_NORMAL, "  retrans %s/s", a);
	model_line(m);
	model_seg(m, ROLE_NORMAL, "closed: %zu in the last minute, %llu since start", recent,
		  (unsigned long long)t->closed_total);
	model_seg(m, failed ? ROLE_CRIT : ROLE_NORMAL, "  failed connects %zu", failed);
	model_seg(m, t->lost_total ? ROLE_CRIT : ROLE_NORMAL, "  lost %llu",
		  (unsigned long long)t->lost_total);
	if (conns)
		model_seg(m, ROLE_DIM, "  showing %s, listeners %s (f, l; P: per process)",
			  tcp_show_name(o->tcp_show), o->tcp_listeners ? "on" : "off");
	if (t->note[0]) {
		model_line(m);
		model_seg(m, ROLE_WARN, "%s", t->note);
	}
	if (o->group) {
		model_line(m);
		model_seg(m, ROLE_DIM, "live connections per cgroup of their owner");
		groups_view(s, PANE_TCP, o->group, m);
	} else if (o->tcp_procs) {
		model_line(m);
		model_seg(m, ROLE_DIM, "per process, this interval (P: per connection; Enter: its connections)");
		proc_rows(t, s->interval_s, &m->table);
	}
}

/* cgroup: the owner's, when known (a live connection) */
static cJSON *row_json(const struct tcp_row *r, bool closed, const char *cgroup)
{
	cJSON *o = cJSON_CreateObject(), *states;
	char ip[INET6_ADDRSTRLEN], when[48];
	bool v6 = r->family == AF_INET6;

	json_num(o, "pid", r->pid);
	json_add_text(o, "comm", r->pid ? r->comm : "");
	if (cgroup)
		json_add_text(o, "cgroup", cgroup);
	json_str(o, "family", v6 ? "ipv6" : "ipv4");
	inet_ntop(v6 ? AF_INET6 : AF_INET, r->saddr, ip, sizeof(ip));
	json_str(o, "saddr", ip);
	json_num(o, "sport", r->sport);
	inet_ntop(v6 ? AF_INET6 : AF_INET, r->daddr, ip, sizeof(ip));
	json_str(o, "daddr", ip);
	json_num(o, "dport", r->dport);
	json_str(o, "state", tcp_state_name(r->state));
	json_num(o, "tx_bytes", r->tx_bytes);
	json_num(o, "rx_bytes", r->rx_bytes);
	json_num(o, "tx_per_s", r->tx_per_s);
	json_num(o, "rx_per_s", r->rx_per_s);
	json_num(o, "uid", r->uid);
	json_num(o, "srtt_us", r->srtt_us);
	json_num(o, "rttvar_us", r->rttvar_us);
	json_num(o, "cwnd", r->cwnd);
	json_num(o, "retrans", r->retrans);
	json_num(o, "retrans_per_s", r->retrans_per_s);
	if (r->connect_ms >= 0)
		json_num(o, "connect_ms", r->connect_ms);
	cJSON_AddBoolToObject(o, "preexisting", r->preexisting);
	if (!r->preexisting)
		json_num(o, "age_ms", (double)(uint64_t)(r->age_s * 1e3));
	states = cJSON_AddArrayToObject(o, "states");
	for (int st = 1; st < NSTATES; st++)
		if (r->states & (1u << st))
			cJSON_AddItemToArray(states, cJSON_CreateString(tcp_state_name(st)));
	if (closed) {
		char err[24];

		if (r->reset)
			json_str(o, "reset", reset_names[r->reset]);
		cJSON_AddBoolToObject(o, "failed", r->failed);
		if (r->failed || r->err)
			json_str(o, "error", error_name(r->err, err, sizeof(err)));
		json_num(o, "duration_ms", (double)(uint64_t)(r->age_s * 1e3));
		json_time(when, sizeof(when), &r->closed_at);
		json_str(o, "closed_at", when);
	}
	return o;
}

static cJSON *tcp_json(const struct snapshot *s, bool history)
{
	const struct tcp_snap *t = &s->tcp;
	cJSON *o = cJSON_CreateObject(), *live, *closed, *procs;
	const struct tcp_row *list = history ? t->closed : t->fresh;
	size_t nlist = history ? t->nclosed : t->nfresh;

	json_num(o, "lost", t->lost);
	json_num(o, "lost_total", t->lost_total);
	json_num(o, "closed_total", t->closed_total);
	if (t->note[0])
		json_add_text(o, "note", t->note);
	live = cJSON_AddArrayToObject(o, "connections");
	for (size_t i = 0; i < t->n; i++)
		cJSON_AddItemToArray(live, row_json(&t->rows[i], false,
						    t->rows[i].pid ? snapshot_cgroup_of(s, t->rows[i].pid)
								   : NULL));
	closed = cJSON_AddArrayToObject(o, "closed");
	for (size_t i = 0; i < nlist; i++)
		cJSON_AddItemToArray(closed, row_json(&list[i], true, NULL));
	procs = cJSON_AddArrayToObject(o, "processes");
	for (size_t i = 0; i < t->np; i++) {
		const struct tcp_proc_row *p = &t->procs[i];
		cJSON *e = cJSON_CreateObject();

		json_num(e, "pid", p->pid);
		json_add_text(e, "comm", p->comm);
		json_num(e, "connections", p->connections);
		json_num(e, "tx_per_s", p->tx_per_s);
		json_num(e, "rx_per_s", p->rx_per_s);
		json_num(e, "retrans_per_s", p->retrans_per_s);
		json_num(e, "connects", p->connects);
		json_num(e, "failed_connects", p->failed_connects);
		cJSON_AddItemToArray(procs, e);
	}
	cJSON_AddItemToObject(o, "groups", groups_json(s, PANE_TCP));
	return o;
}

static void row_parse(const cJSON *o, struct tcp_row *r, bool closed)
{
	char fam[8], addr[INET6_ADDRSTRLEN + 1], state[16], text[24];
	const cJSON *it;

	r->pid = json_get_u32(o, "pid");
	r->uid = json_get_u32(o, "uid");
	json_get_text(o, "comm", r->comm, sizeof(r->comm));
	json_get_text(o, "family", fam, sizeof(fam));
	r->family = strcmp(fam, "ipv6") ? AF_INET : AF_INET6;
	json_get_text(o, "saddr", addr, sizeof(addr));
	inet_pton(r->family, addr, r->saddr);
	json_get_text(o, "daddr", addr, sizeof(addr));
	inet_pton(r->family, addr, r->daddr);
	r->sport = json_get_u32(o, "sport");
	r->dport = json_get_u32(o, "dport");
	json_get_text(o, "state", state, sizeof(state));
	for (int st = 1; st < NSTATES; st++)
		if (!strcmp(state, tcp_state_name(st)))
			r->state = st;
	cJSON_ArrayForEach(it, json_get_array(o, "states"))
		for (int st = 1; st < NSTATES; st++)
			if (cJSON_IsString(it) && !strcmp(it->valuestring, tcp_state_name(st)))
				r->states |= 1u << st;
	r->tx_bytes = json_get_u64(o, "tx_bytes");
	r->rx_bytes = json_get_u64(o, "rx_bytes");
	r->tx_per_s = json_get_num(o, "tx_per_s");
	r->rx_per_s = json_get_num(o, "rx_per_s");
	r->preexisting = cJSON_IsTrue(cJSON_GetObjectItem(o, "preexisting"));
	r->age_s = json_get_num(o, closed ? "duration_ms" : "age_ms") / 1e3;
	r->srtt_us = json_get_u32(o, "srtt_us");
	r->rttvar_us = json_get_u32(o, "rttvar_us");
	r->cwnd = json_get_u32(o, "cwnd");
	r->retrans = json_get_u32(o, "retrans");
	r->retrans_per_s = json_get_num(o, "retrans_per_s");
	r->connect_ms = cJSON_IsNumber(cJSON_GetObjectItem(o, "connect_ms"))
				? json_get_num(o, "connect_ms") : -1;
	json_get_text(o, "reset", text, sizeof(text));
	for (int i = 1; i < (int)(sizeof(reset_names) / sizeof(reset_names[0])); i++)
		if (!strcmp(text, reset_names[i]))
			r->reset = i;
	r->failed = cJSON_IsTrue(cJSON_GetObjectItem(o, "failed"));
	json_get_text(o, "error", text, sizeof(text));
	r->err = error_number(text);
	/* the selection follows a connection by its 4-tuple */
	r->id = fnv1a(r->daddr, sizeof(r->daddr), fnv1a(r->saddr, sizeof(r->saddr), FNV1A_SEED)) ^
		((uint64_t)r->sport << 16 | r->dport);
	if (closed)
		json_get_time(o, "closed_at", &r->closed_at);
}

static int rows_parse(const cJSON *arr, struct tcp_row **rows, size_t *n, bool closed)
{
	size_t cap = cJSON_GetArraySize(arr);
	const cJSON *it;

	if (cap && !(*rows = calloc(cap, sizeof(**rows))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, arr)
		row_parse(it, &(*rows)[(*n)++], closed);
	return 0;
}

/* The recorded owners' cgroups; the table keeps those the cpu rows do
 * not name (the cpu pane is parsed first). */
static int owners_parse(const cJSON *arr, struct snapshot *s)
{
	size_t n = 0, cap = cJSON_GetArraySize(arr);
	struct pid_cgroup *v = cap ? calloc(cap, sizeof(*v)) : NULL;
	const cJSON *it;

	if (cap && !v)
		return -ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		uint32_t pid = json_get_u32(it, "pid");
		char path[4096];

		json_get_text(it, "cgroup", path, sizeof(path));
		if (!pid || !path[0])
			continue;
		if (!(v[n].path = strdup(path))) {
			snapshot_set_owners(s, v, n);
			return -ENOMEM;
		}
		v[n++].pid = pid;
	}
	snapshot_set_owners(s, v, n);
	return 0;
}

static int procs_parse(const cJSON *arr, struct tcp_snap *t)
{
	size_t cap = cJSON_GetArraySize(arr);
	const cJSON *it;

	if (cap && !(t->procs = calloc(cap, sizeof(*t->procs))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		struct tcp_proc_row *p = &t->procs[t->np++];

		p->pid = json_get_u32(it, "pid");
		json_get_text(it, "comm", p->comm, sizeof(p->comm));
		p->connections = json_get_u32(it, "connections");
		p->tx_per_s = json_get_num(it, "tx_per_s");
		p->rx_per_s = json_get_num(it, "rx_per_s");
		p->retrans_per_s = json_get_num(it, "retrans_per_s");
		p->connects = json_get_u32(it, "connects");
		p->failed_connects = json_get_u32(it, "failed_connects");
	}
	return 0;
}

static int tcp_parse(const cJSON *o, struct snapshot *s)
{
	struct tcp_snap *t = &s->tcp;
	int err;

	t->lost = json_get_u64(o, "lost");
	t->lost_total = json_get_u64(o, "lost_total");
	t->closed_total = json_get_u64(o, "closed_total");
	json_get_text(o, "note", t->note, sizeof(t->note));
	err = rows_parse(json_get_array(o, "connections"), &t->rows, &t->n, false);
	if (!err)
		err = rows_parse(json_get_array(o, "closed"), &t->closed, &t->nclosed, true);
	if (!err)
		err = owners_parse(json_get_array(o, "connections"), s);
	if (!err)
		err = procs_parse(json_get_array(o, "processes"), t);
	return err;
}

const struct pane tcp_pane = {
	.default_sort = COL_TXS,
	.build = tcp_build,
	.json = tcp_json,
	.parse = tcp_parse,
};

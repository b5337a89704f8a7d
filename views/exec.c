/* Pane 5: the live exec stream, oldest first so the newest is at the
 * bottom; loss markers stand where the kernel dropped records. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "views/text.h"
#include "views/view.h"

enum { COL_TIME, COL_PID, COL_PPID, COL_UID, COL_RET, COL_COMM, COL_ARGV, NCOL };

static const struct column cols[NCOL] = {
	[COL_TIME] = { "TIME", 12, ALIGN_LEFT, true, 0 },
	[COL_PID] = { "PID", 7, ALIGN_RIGHT, true, 0 },
	[COL_PPID] = { "PPID", 7, ALIGN_RIGHT, true, 2 },
	[COL_UID] = { "USER", USER_COLS, ALIGN_LEFT, false, 1 },
	[COL_RET] = { "RET", 4, ALIGN_RIGHT, true, 3 },
	[COL_COMM] = { "COMM", 15, ALIGN_LEFT, false, 4 },
	[COL_ARGV] = { "ARGV", 10, ALIGN_LEFT, false, 0 },
};

#define TRUNCATED_MARK " ...[truncated]"

/* argv joined by spaces, each argument sanitized on its own. */
static char *join_argv(const struct exec_rec *r)
{
	size_t cap = 64, len = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	out[0] = '\0';
	for (int i = 0; i <= r->argc; i++) {
		char *arg = i < r->argc ? text_sanitize(r->argv[i], strlen(r->argv[i]))
					: strdup(r->truncated ? TRUNCATED_MARK : "");
		size_t n = arg ? strlen(arg) : 0;

		if (!arg)
			continue;
		if (len + n + 2 > cap) {
			char *grown = realloc(out, (cap = (len + n + 2) * 2));

			if (!grown) {
				free(arg);
				break;
			}
			out = grown;
		}
		if (i && i < r->argc)
			out[len++] = ' ';
		memcpy(out + len, arg, n + 1);
		len += n;
		free(arg);
	}
	return out;
}

static void exec_build(const struct snapshot *s, const struct view_opts *o, struct pane_model *m)
{
	(void)o;
	const struct exec_snap *e = &s->exec;

	model_init(m, cols, NCOL, COL_ARGV);
	model_line(m);
	model_seg(m, ROLE_TITLE, "EXEC ");
	model_seg(m, ROLE_NORMAL, "%.1f execs/s  %zu in history", e->rate, e->n);
	model_seg(m, e->lost_total ? ROLE_CRIT : ROLE_NORMAL, "  lost %llu",
		  (unsigned long long)e->lost_total);
	if (e->dropped)
		model_seg(m, ROLE_DIM, "  (%llu older ones dropped from history)",
			  (unsigned long long)e->dropped);
	if (e->note[0]) {
		model_line(m);
		model_seg(m, ROLE_WARN, "%s", e->note);
	}
	for (size_t i = 0; i < e->n; i++) {
		const struct exec_rec *r = e->recs[i];
		double t = r->time.tv_sec + r->time.tv_nsec / 1e9;
		char when[16];
		struct tm tm;

		localtime_r(&r->time.tv_sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		table_row(&m->table, r->pid);
		m->table.row[m->table.nrow - 1].id = r->seq;
		table_cell(&m->table, t, "%s.%03ld", when, r->time.tv_nsec / 1000000);
		if (r->lost_before) {
			for (int c = COL_PID; c < COL_ARGV; c++)
				table_cell(&m->table, 0, "-");
			table_cell(&m->table, 0, "--- %llu events lost here ---",
				   (unsigned long long)r->lost_before);
			continue;
		}
		char *argv = join_argv(r), user[USER_COLS + 2];

		table_cell(&m->table, r->pid, "%u", r->pid);
		table_cell(&m->table, r->ppid, "%u", r->ppid);
		fmt_user(user, sizeof(user), r->user);
		table_cell(&m->table, 0, "%s", user);
		table_cell(&m->table, r->ret, "%d", r->ret);
		table_cell(&m->table, 0, "%s", r->comm);
		table_cell(&m->table, 0, "%s", argv ? argv : "");
		free(argv);
	}
}

static cJSON *exec_json(const struct snapshot *s, bool history)
{
	const struct exec_snap *e = &s->exec;
	cJSON *o = cJSON_CreateObject(), *arr;
	size_t from = history ? 0 : e->n - e->nnew;
	char when[48];

	json_num(o, "lost", e->lost);
	json_num(o, "lost_total", e->lost_total);
	json_num(o, "dropped", e->dropped);
	if (e->note[0])
		json_add_text(o, "note", e->note);
	arr = cJSON_AddArrayToObject(o, "events");
	for (size_t i = from; i < e->n; i++) {
		const struct exec_rec *r = e->recs[i];
		cJSON *ev, *argv;

		if (r->lost_before)
			continue; /* counted in lost */
		ev = cJSON_CreateObject();
		json_time(when, sizeof(when), &r->time);
		json_str(ev, "time", when);
		json_num(ev, "pid", r->pid);
		json_num(ev, "ppid", r->ppid);
		json_num(ev, "uid", r->uid);
		json_add_text(ev, "user", r->user);
		json_add_text(ev, "comm", r->comm);
		json_add_text(ev, "filename", r->filename ? r->filename : "");
		argv = cJSON_AddArrayToObject(ev, "argv");
		for (int a = 0; a < r->argc; a++) {
			char *clean = text_sanitize(r->argv[a], strlen(r->argv[a]));

			cJSON_AddItemToArray(argv, cJSON_CreateString(clean ? clean : ""));
			free(clean);
		}
		cJSON_AddBoolToObject(ev, "truncated", r->truncated);
		json_num(ev, "ret", r->ret);
		cJSON_AddItemToArray(arr, ev);
	}
	return o;
}

static struct exec_rec *rec_parse(const cJSON *o, uint64_t seq)
{
	struct exec_rec *r = calloc(1, sizeof(*r));
	const cJSON *argv = json_get_array(o, "argv"), *it;
	char buf[4096];

	if (!r)
		return NULL;
	r->refs = 1;
	r->seq = seq;
	json_get_time(o, "time", &r->time);
	r->pid = json_get_u32(o, "pid");
	r->ppid = json_get_u32(o, "ppid");
	r->uid = json_get_u32(o, "uid");
	user_from(o, r->uid, r->user, sizeof(r->user));
	r->ret = json_get_i32(o, "ret");
	r->truncated = cJSON_IsTrue(cJSON_GetObjectItem(o, "truncated"));
	json_get_text(o, "comm", r->comm, sizeof(r->comm));
	json_get_text(o, "filename", buf, sizeof(buf));
	r->filename = strdup(buf);
	r->argv = calloc(cJSON_GetArraySize(argv) + 1, sizeof(*r->argv));
	if (!r->filename || !r->argv) {
		exec_rec_put(r);
		return NULL;
	}
	cJSON_ArrayForEach(it, argv)
		if (!(r->argv[r->argc++] = strdup(cJSON_IsString(it) ? it->valuestring : ""))) {
			r->argc--;
			exec_rec_put(r);
			return NULL;
		}
	return r;
}

static int exec_parse(const cJSON *o, struct snapshot *s)
{
	struct exec_snap *e = &s->exec;
	const cJSON *arr = json_get_array(o, "events"), *it;
	size_t n = cJSON_GetArraySize(arr);

	e->lost = json_get_u64(o, "lost");
	e->lost_total = json_get_u64(o, "lost_total");
	e->dropped = json_get_u64(o, "dropped");
	json_get_text(o, "note", e->note, sizeof(e->note));
	if (n && !(e->recs = calloc(n, sizeof(*e->recs))))
		return -ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		if (!(e->recs[e->n] = rec_parse(it, e->n)))
			return -ENOMEM;
		e->n++;
	}
	e->nnew = e->events = e->n;
	e->rate = s->interval_s > 0 ? e->n / s->interval_s : 0;
	return 0;
}

const struct pane exec_pane = {
	.default_sort = COL_TIME,
	.default_reverse = true,
	.follow_tail = true,
	.build = exec_build,
	.json = exec_json,
	.parse = exec_parse,
};

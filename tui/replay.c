#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/frame.h"
#include "tui/replay.h"

/* The exec stream a replayed frame shows: the events of the frames before
 * it, newest last, as many as the live pane keeps. */
#define EXEC_KEEP 10000

struct replay {
	struct recording *rec;
	bool have;                     /* heat and execs below are those up to frame `last` */
	size_t last;
	uint32_t heat[RUNQ_HEAT_COLS][RUNQ_HEAT_ROWS];
	int heat_cols;
	struct exec_rec **execs;       /* oldest first */
	size_t nexecs;
	uint64_t seq;
};

struct replay *replay_open(const char *path, char *err, size_t errlen)
{
	struct replay *r = calloc(1, sizeof(*r));

	if (!r || !(r->execs = calloc(EXEC_KEEP, sizeof(*r->execs)))) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!(r->rec = recording_open(path, err, errlen))) {
		free(r->execs);
		free(r);
		return NULL;
	}
	return r;
}

struct replay *replay_live(void)
{
	struct replay *r = calloc(1, sizeof(*r));

	if (!r || !(r->execs = calloc(EXEC_KEEP, sizeof(*r->execs))) ||
	    !(r->rec = recording_new())) {
		if (r)
			free(r->execs);
		free(r);
		return NULL;
	}
	return r;
}

int replay_append(struct replay *r, const char *doc, size_t len, uint64_t time_ns,
		  uint64_t keep_ns, size_t max_bytes)
{
	return recording_append(r->rec, doc, len, time_ns, keep_ns, max_bytes);
}

size_t replay_first(const struct replay *r)
{
	return recording_first(r->rec);
}

size_t replay_bytes(const struct replay *r)
{
	return recording_bytes(r->rec);
}

static void forget(struct replay *r)
{
	for (size_t i = 0; i < r->nexecs; i++)
		exec_rec_put(r->execs[i]);
	r->nexecs = 0;
	r->heat_cols = 0;
	r->have = false;
}

void replay_free(struct replay *r)
{
	if (!r)
		return;
	forget(r);
	free(r->execs);
	recording_close(r->rec);
	free(r);
}

size_t replay_frames(const struct replay *r)
{
	return recording_count(r->rec);
}

size_t replay_damaged(const struct replay *r)
{
	return recording_damaged(r->rec);
}

uint64_t replay_time_ns(const struct replay *r, size_t i)
{
	return recording_time(r->rec, i);
}

size_t replay_find(const struct replay *r, uint64_t time_ns)
{
	return recording_find(r->rec, time_ns);
}

char *replay_doc(struct replay *r, size_t i, size_t *len)
{
	return recording_doc(r->rec, i, len);
}

static int parse(struct replay *r, size_t i, struct snapshot *s, struct json_header *h,
		 char *err, size_t errlen)
{
	size_t len;
	char *doc = recording_doc(r->rec, i, &len);
	int rc;

	if (!doc) {
		snprintf(err, errlen, "frame %zu is damaged", i + 1);
		memset(s, 0, sizeof(*s));
		return -errno;
	}
	rc = json_parse_snapshot(doc, len, s, h, err, errlen);
	free(doc);
	return rc;
}

/* Add frame s to the history: a heat map column, its execs. */
static void advance(struct replay *r, const struct snapshot *s)
{
	runq_heat_push(r->heat, &r->heat_cols, s->runq.hist);
	for (size_t i = 0; i < s->exec.n; i++) {
		if (r->nexecs == EXEC_KEEP) {
			exec_rec_put(r->execs[0]);
			memmove(r->execs, r->execs + 1, (EXEC_KEEP - 1) * sizeof(*r->execs));
			r->nexecs--;
		}
		s->exec.recs[i]->refs++;
		s->exec.recs[i]->seq = r->seq++;
		r->execs[r->nexecs++] = s->exec.recs[i];
	}
}

/* Bring the history up to frame i - 1: on from the frame before, or anew
 * from the heat map's width before i. */
static void catch_up(struct replay *r, size_t i)
{
	bool on = r->have && r->last < i && i - r->last <= RUNQ_HEAT_COLS;
	size_t from = on ? r->last + 1 : i >= RUNQ_HEAT_COLS ? i - RUNQ_HEAT_COLS : 0;
	char err[NOTE_LEN];

	if (from < recording_first(r->rec))
		from = recording_first(r->rec);

	if (!on)
		forget(r);
	for (size_t j = from; j < i; j++) {
		struct snapshot s;
		struct json_header h;

		if (!parse(r, j, &s, &h, err, sizeof(err)))
			advance(r, &s);
		snapshot_free(&s);
	}
}

int replay_load(struct replay *r, size_t i, struct snapshot *s, struct json_header *h,
		char *err, size_t errlen)
{
	int rc;

	catch_up(r, i);
	rc = parse(r, i, s, h, err, errlen);
	if (rc)
		return rc;
	advance(r, s);
	r->have = true;
	r->last = i;
	/* the frame shows the history: its own execs are the newest of it */
	for (size_t k = 0; k < s->exec.n; k++)
		exec_rec_put(s->exec.recs[k]);
	free(s->exec.recs);
	s->exec.nnew = s->exec.n;
	s->exec.recs = calloc(r->nexecs ? r->nexecs : 1, sizeof(*s->exec.recs));
	s->exec.n = 0;
	if (!s->exec.recs) {
		snapshot_free(s);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t k = 0; k < r->nexecs; k++) {
		r->execs[k]->refs++;
		s->exec.recs[s->exec.n++] = r->execs[k];
	}
	memcpy(s->runq.heat, r->heat, sizeof(r->heat));
	s->runq.heat_cols = r->heat_cols;
	return 0;
}

/* The "ebtop/1" document (doc/json.md): a common header, then every pane's
 * object, or {"error": why} for a pane that is unavailable. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "views/text.h"
#include "views/view.h"

/* The key is kept by pointer: one malloc less per field, and a document
 * at 5,000 connections has 150,000 of them. */
void json_num(cJSON *o, const char *key, double v)
{
	cJSON_AddItemToObjectCS(o, key, cJSON_CreateNumber(v));
}

void json_str(cJSON *o, const char *key, const char *v)
{
	cJSON_AddItemToObjectCS(o, key, cJSON_CreateString(v));
}

void json_add_text(cJSON *o, const char *key, const char *raw)
{
	char *clean = text_sanitize(raw, strlen(raw));

	json_str(o, key, clean ? clean : "");
	free(clean);
}

void json_time(char *buf, size_t len, const struct timespec *ts)
{
	struct tm tm;
	size_t n;

	gmtime_r(&ts->tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03ldZ", ts->tv_nsec / 1000000);
}

double json_get_num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : 0;
}

uint64_t json_get_u64(const cJSON *o, const char *key)
{
	double v = json_get_num(o, key);

	return v <= 0 ? 0 : v >= 18446744073709549568.0 ? UINT64_MAX : (uint64_t)v;
}

uint32_t json_get_u32(const cJSON *o, const char *key)
{
	uint64_t v = json_get_u64(o, key);

	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

int32_t json_get_i32(const cJSON *o, const char *key)
{
	double v = json_get_num(o, key);

	return v <= INT32_MIN ? INT32_MIN : v >= INT32_MAX ? INT32_MAX : (int32_t)v;
}

void json_get_text(const cJSON *o, const char *key, char *buf, size_t len)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));

	snprintf(buf, len, "%s", v ? v : "");
}

const cJSON *json_get_array(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsArray(v) ? v : NULL;
}

/* "2026-12-01T20:13:00.626Z" -> timespec; false if it does not read. */
static bool parse_time(const char *t, struct timespec *ts);

void user_from(const cJSON *o, uint32_t uid, char *buf, size_t len)
{
	json_get_text(o, "user", buf, len);
	if (!*buf)
		snprintf(buf, len, "%u", uid);
}

bool json_get_time(const cJSON *o, const char *key, struct timespec *ts)
{
	return parse_time(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key)), ts);
}

static bool parse_time(const char *t, struct timespec *ts)
{
	struct tm tm;
	int ms = 0;

	memset(&tm, 0, sizeof(tm));
	if (!t || sscanf(t, "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) < 6 || ms < 0 || ms > 999)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	ts->tv_sec = timegm(&tm);
	ts->tv_nsec = ms * 1000000L;
	return ts->tv_sec != -1;
}

int json_parse_snapshot(const char *text, size_t len, struct snapshot *s, struct json_header *h,
			char *err, size_t errlen)
{
	cJSON *doc = cJSON_ParseWithLength(text, len);
	const cJSON *filter, *v;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	memset(h, 0, sizeof(*h));
	if (!doc || strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "schema")) ?: "",
			   "ebtop/1")) {
		snprintf(err, errlen, doc ? "not an \"ebtop/1\" document" : "not JSON");
		cJSON_Delete(doc);
		return -EBADMSG;
	}
	if (!parse_time(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "time")), &s->wall)) {
		snprintf(err, errlen, "document without a time");
		cJSON_Delete(doc);
		return -EBADMSG;
	}
	s->interval_s = json_get_num(doc, "interval_s");
	json_get_text(doc, "view", h->view, sizeof(h->view));
	filter = cJSON_GetObjectItem(doc, "filter");
	json_get_text(filter, "cgroup", h->cgroup, sizeof(h->cgroup));
	cJSON_ArrayForEach(v, json_get_array(filter, "pids"))
		if (cJSON_IsNumber(v) && v->valuedouble > 0 && h->npids < MAX_FILTER_PIDS)
			h->pids[h->npids++] = (unsigned)fmin(v->valuedouble, UINT32_MAX);
	header_parse(cJSON_GetObjectItem(doc, "system"), &s->system);
	self_parse(cJSON_GetObjectItem(doc, "self"), &s->self);
	for (int id = 0; id < NPANES && !rc; id++) {
		const cJSON *o = cJSON_GetObjectItem(doc, pane_name(id));
		const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(o, "error"));

		if (!cJSON_IsObject(o))
			snprintf(s->error[id], sizeof(s->error[id]), "not in the recording");
		else if (why)
			snprintf(s->error[id], sizeof(s->error[id]), "%s", why);
		else
			rc = panes[id]->parse(o, s);
	}
	cJSON_Delete(doc);
	if (rc) {
		snapshot_free(s);
		snprintf(err, errlen, "%s", strerror(-rc));
	}
	return rc;
}

cJSON *json_snapshot(const struct snapshot *s, const struct json_meta *meta)
{
	cJSON *doc = cJSON_CreateObject(), *filter, *pids;
	struct utsname u;
	char host[256] = "";

	json_str(doc, "schema", "ebtop/1");
	gethostname(host, sizeof(host) - 1);
	json_add_text(doc, "host", host);
	json_add_text(doc, "kernel", uname(&u) ? "" : u.release);
	char when[48];

	json_time(when, sizeof(when), &s->wall);
	json_str(doc, "time", when);
	json_num(doc, "interval_s", s->interval_s);
	filter = cJSON_AddObjectToObject(doc, "filter");
	pids = cJSON_AddArrayToObject(filter, "pids");
	for (size_t i = 0; i < meta->npids; i++)
		cJSON_AddItemToArray(pids, cJSON_CreateNumber(meta->pids[i]));
	if (meta->cgroup)
		json_add_text(filter, "cgroup", meta->cgroup);
	else
		cJSON_AddNullToObject(filter, "cgroup");
	json_str(doc, "view", meta->view);
	if (s->system.have)
		cJSON_AddItemToObject(doc, "system", header_json(&s->system));
	if (s->self.have)
		cJSON_AddItemToObject(doc, "self", self_json(&s->self));
	for (int id = 0; id < NPANES; id++) {
		cJSON *pane;

		if (!s->error[id][0]) {
			pane = panes[id]->json(s, meta->history);
		} else {
			pane = cJSON_CreateObject();
			json_add_text(pane, "error", s->error[id]);
		}
		cJSON_AddItemToObject(doc, pane_name(id), pane);
	}
	return doc;
}

/* The printer. cJSON's own prints every number through sprintf("%1.15g"),
 * then sscanf to see that it reads back, and again with 17 digits when it
 * does not; at 10,000 processes that was most of a refresh's CPU. Here an
 * integral value (most of ours: pids, counts, ns, bytes) is written digit
 * by digit, and any other with 17 significant digits, which always reads
 * back exactly. */
struct out {
	char *p;
	size_t len, cap;
	bool failed;
};

static char *room(struct out *o, size_t n)
{
	if (o->failed)
		return NULL;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		char *grown;

		while (o->len + n + 1 > cap)
			cap *= 2;
		if (!(grown = realloc(o->p, cap))) {
			o->failed = true;
			return NULL;
		}
		o->p = grown;
		o->cap = cap;
	}
	return o->p + o->len;
}

static void put(struct out *o, const char *s, size_t n)
{
	char *at = room(o, n);

	if (at) {
		memcpy(at, s, n);
		o->len += n;
	}
}

static void put_number(struct out *o, double v)
{
	char buf[32], *end = buf + sizeof(buf), *d = end;

	if (isnan(v) || isinf(v)) { /* as cJSON: JSON has no such numbers */
		put(o, "null", 4);
	} else if (v == trunc(v) && fabs(v) < 9007199254740992.0) { /* 2^53 */
		uint64_t u = v < 0 ? (uint64_t)-v : (uint64_t)v;

		do
			*--d = '0' + u % 10;
		while (u /= 10);
		if (v < 0)
			*--d = '-';
		put(o, d, end - d);
	} else {
		put(o, buf, snprintf(buf, sizeof(buf), "%.17g", v));
	}
}

static void put_string(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	put(o, "\"", 1);
	for (const char *run = s;; s++) {
		unsigned char c = *s;
		char esc[6] = { '\\', c, 0 };
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(o, run, s - run);
		if (!c)
			break;
		switch (c) {
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '"': case '\\': break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		put(o, esc, n);
		run = s + 1;
	}
	put(o, "\"", 1);
}

static void put_value(struct out *o, const cJSON *v)
{
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		bool obj = cJSON_IsObject(v);

		put(o, obj ? "{" : "[", 1);
		for (const cJSON *c = v->child; c; c = c->next) {
			if (c != v->child)
				put(o, ",", 1);
			if (obj) {
				put_string(o, c->string ? c->string : "");
				put(o, ":", 1);
			}
			put_value(o, c);
		}
		put(o, obj ? "}" : "]", 1);
	} else if (cJSON_IsNumber(v)) {
		put_number(o, v->valuedouble);
	} else if (cJSON_IsString(v)) {
		put_string(o, v->valuestring ? v->valuestring : "");
	} else if (cJSON_IsRaw(v)) {
		put(o, v->valuestring ? v->valuestring : "", v->valuestring ? strlen(v->valuestring) : 0);
	} else if (cJSON_IsTrue(v) || cJSON_IsFalse(v)) {
		put(o, cJSON_IsTrue(v) ? "true" : "false", cJSON_IsTrue(v) ? 4 : 5);
	} else {
		put(o, "null", 4);
	}
}

char *json_print(const cJSON *doc)
{
	struct out o = { 0 };

	put_value(&o, doc);
	if (!room(&o, 0)) {
		free(o.p);
		errno = ENOMEM;
		return NULL;
	}
	o.p[o.len] = '\0';
	return o.p;
}

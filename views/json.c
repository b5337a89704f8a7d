/* The "ebtop/1" document (SPEC.md): a common header, then every pane's
 * object, or {"error": why} for a pane that is unavailable. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "text.h"
#include "view.h"

void json_add_text(cJSON *o, const char *key, const char *raw)
{
	char *clean = text_sanitize(raw, strlen(raw));

	cJSON_AddStringToObject(o, key, clean ? clean : "");
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

cJSON *json_snapshot(const struct snapshot *s, const struct json_meta *meta)
{
	cJSON *doc = cJSON_CreateObject(), *filter, *pids;
	struct utsname u;
	char host[256] = "";

	cJSON_AddStringToObject(doc, "schema", "ebtop/1");
	gethostname(host, sizeof(host) - 1);
	json_add_text(doc, "host", host);
	json_add_text(doc, "kernel", uname(&u) ? "" : u.release);
	char when[48];

	json_time(when, sizeof(when), &s->wall);
	cJSON_AddStringToObject(doc, "time", when);
	cJSON_AddNumberToObject(doc, "interval_s", s->interval_s);
	filter = cJSON_AddObjectToObject(doc, "filter");
	pids = cJSON_AddArrayToObject(filter, "pids");
	for (size_t i = 0; i < meta->npids; i++)
		cJSON_AddItemToArray(pids, cJSON_CreateNumber(meta->pids[i]));
	if (meta->cgroup)
		json_add_text(filter, "cgroup", meta->cgroup);
	else
		cJSON_AddNullToObject(filter, "cgroup");
	cJSON_AddStringToObject(doc, "view", meta->view);
	for (int id = 0; id < NPANES; id++) {
		cJSON *pane;

		if (panes[id] && !s->error[id][0]) {
			pane = panes[id]->json(s, meta->history);
		} else {
			pane = cJSON_CreateObject();
			json_add_text(pane, "error", s->error[id][0] ? s->error[id]
								     : "not in this build");
		}
		cJSON_AddItemToObject(doc, pane_name(id), pane);
	}
	return doc;
}

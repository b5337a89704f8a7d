#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "probes/snapshot.h"
#include "probes/users.h"

/* a file past this many entries is cut short: the rest show as numbers */
#define USERS_MAX 100000

struct user {
	uint32_t uid;
	uint32_t line;   /* the file's order: the first of a uid is its name */
	char name[32];
};

static struct {
	char path[256];
	struct timespec mtime;
	off_t size;
	bool loaded;
	struct user *v;
	size_t n;
} cache = { .path = "/etc/passwd" };

static int uid_only(const void *a, const void *b)
{
	uint32_t x = ((const struct user *)a)->uid, y = ((const struct user *)b)->uid;

	return (x > y) - (x < y);
}

static int by_uid(const void *a, const void *b)
{
	const struct user *x = a, *y = b;

	if (x->uid != y->uid)
		return (x->uid > y->uid) - (x->uid < y->uid);
	return (x->line > y->line) - (x->line < y->line);
}

/* name:password:uid:... ; lines that do not parse are skipped */
static void load(void)
{
	FILE *f = fopen(cache.path, "re");
	char line[1024];
	size_t cap = 0;

	free(cache.v);
	cache.v = NULL;
	cache.n = 0;
	if (!f)
		return;
	while (cache.n < USERS_MAX && fgets(line, sizeof(line), f)) {
		char *name = line, *colon = strchr(line, ':'), *uid, *end;
		unsigned long v;

		if (!colon || colon == line || !(uid = strchr(colon + 1, ':')))
			continue;
		*colon = '\0';
		v = strtoul(uid + 1, &end, 10);
		if (end == uid + 1 || *end != ':' || v > UINT32_MAX)
			continue;
		if (cache.n == cap) {
			struct user *g = realloc(cache.v, (cap = cap ? cap * 2 : 64) * sizeof(*g));

			if (!g)
				break;
			cache.v = g;
		}
		cache.v[cache.n].uid = (uint32_t)v;
		cache.v[cache.n].line = (uint32_t)cache.n;
		/* a longer name is cut (ps shows such names cut too) */
		snprintf(cache.v[cache.n].name, sizeof(cache.v[0].name), "%.31s", name);
		cache.n++;
	}
	fclose(f);
	qsort(cache.v, cache.n, sizeof(*cache.v), by_uid);
}

static void refresh(void)
{
	struct stat st;

	if (stat(cache.path, &st)) {
		if (cache.n)
			load(); /* gone: numbers from now on */
		cache.loaded = true;
		return;
	}
	if (cache.loaded && st.st_mtim.tv_sec == cache.mtime.tv_sec &&
	    st.st_mtim.tv_nsec == cache.mtime.tv_nsec && st.st_size == cache.size)
		return;
	cache.mtime = st.st_mtim;
	cache.size = st.st_size;
	cache.loaded = true;
	load();
}

void users_name(uint32_t uid, char *buf, size_t len)
{
	struct user key = { .uid = uid }, *u;

	if (!cache.loaded)
		refresh();
	u = cache.n ? bsearch(&key, cache.v, cache.n, sizeof(key), uid_only) : NULL;
	/* the first entry of a uid is the one ls and ps show; bsearch may land on a later one */
	while (u && u > cache.v && u[-1].uid == uid)
		u--;
	if (u)
		snprintf(buf, len, "%s", u->name);
	else
		snprintf(buf, len, "%u", uid);
}

void users_fill(struct snapshot *s)
{
	refresh();
	for (size_t i = 0; i < s->cpu.n; i++)
		users_name(s->cpu.rows[i].uid, s->cpu.rows[i].user, sizeof(s->cpu.rows[i].user));
	for (size_t i = s->exec.n - s->exec.nnew; i < s->exec.n; i++)
		if (!s->exec.recs[i]->user[0])
			users_name(s->exec.recs[i]->uid, s->exec.recs[i]->user,
				   sizeof(s->exec.recs[i]->user));
}

void users_set_file(const char *path)
{
	snprintf(cache.path, sizeof(cache.path), "%s", path);
	cache.loaded = false;
}

void users_free(void)
{
	free(cache.v);
	cache.v = NULL;
	cache.n = 0;
	cache.loaded = false;
}

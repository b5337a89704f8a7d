#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes/ksyms.h"

struct ksym {
	uint64_t addr;
	uint32_t name; /* offsets into names */
	uint32_t module;
};

struct ksyms {
	struct ksym *syms;
	size_t n;
	char *names;
	size_t nlen, ncap;
};

static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* A string into the name pool; its offset, or UINT32_MAX when out of room. */
static uint32_t pool_add(struct ksyms *k, const char *s, size_t len)
{
	uint32_t at;

	if (k->nlen + len + 1 > k->ncap) {
		size_t cap = k->ncap ? k->ncap * 2 : 1 << 20;
		char *p;

		if (cap > UINT32_MAX || !(p = realloc(k->names, cap)))
			return UINT32_MAX;
		k->names = p;
		k->ncap = cap;
	}
	at = (uint32_t)k->nlen;
	memcpy(k->names + at, s, len);
	k->names[at + len] = '\0';
	k->nlen += len + 1;
	return at;
}

struct ksyms *ksyms_read(int fd)
{
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	struct ksyms *k = calloc(1, sizeof(*k));
	size_t cap = 0, named = 0;
	uint32_t none;
	char line[512];

	if (!f || !k) {
		if (f)
			fclose(f);
		else if (fd >= 0)
			close(fd);
		free(k);
		return NULL;
	}
	none = pool_add(k, "", 0);
	while (fgets(line, sizeof(line), f)) {
		char type, name[256], module[128] = "";
		unsigned long long addr;
		struct ksym *s;

		if (sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, module) < 3)
			continue;
		/* text symbols only: a data symbol between two functions would
		 * name the second one's tail */
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		if (k->n == cap) {
			cap = cap ? cap * 2 : 65536;
			if (!(s = realloc(k->syms, cap * sizeof(*s))))
				break;
			k->syms = s;
		}
		s = &k->syms[k->n];
		s->addr = addr;
		s->name = pool_add(k, name, strlen(name));
		s->module = module[0] ? pool_add(k, module, strlen(module)) : none;
		if (s->name == UINT32_MAX || s->module == UINT32_MAX)
			break;
		named += addr != 0;
		k->n++;
	}
	fclose(f);
	if (!named) { /* every address 0: kptr_restrict */
		ksyms_free(k);
		errno = EPERM;
		return NULL;
	}
	qsort(k->syms, k->n, sizeof(*k->syms), by_addr);
	return k;
}

void ksyms_free(struct ksyms *k)
{
	if (!k)
		return;
	free(k->syms);
	free(k->names);
	free(k);
}

bool ksyms_name(const struct ksyms *k, uint64_t addr, char *buf, size_t len)
{
	size_t lo = 0, hi = k ? k->n : 0;

	/* the last symbol at or below addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || !k->syms[lo - 1].addr)
		return false;
	const struct ksym *s = &k->syms[lo - 1];

	if (k->names[s->module])
		snprintf(buf, len, "%s [%s]", k->names + s->name, k->names + s->module);
	else
		snprintf(buf, len, "%s", k->names + s->name);
	return true;
}

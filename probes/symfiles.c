#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "probes/symfiles.h"

/* A hex number at *p, up to end; false if none, or past 64 bits. */
static bool hex_at(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	int digits = 0;

	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	*v = 0;
	for (; s < end; s++, digits++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;

		if (d < 0)
			break;
		if (digits == 16)
			return false;
		*v = *v << 4 | (uint64_t)d;
	}
	*p = s;
	return digits > 0;
}

static const char *skip_field(const char *p, const char *end)
{
	while (p < end && *p != ' ')
		p++;
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* A maps line: "start-end perms offset dev inode   path". */
int maps_find(const char *text, size_t len, const char *path, uint64_t *start, uint64_t *end)
{
	const char *p = text, *stop = text + len;
	size_t plen = strlen(path);

	while (p < stop) {
		const char *eol = memchr(p, '\n', stop - p), *q = p;
		uint64_t s, e;

		eol = eol ? eol : stop;
		if (hex_at(&q, eol, &s) && q < eol && *q++ == '-' && hex_at(&q, eol, &e)) {
			for (int f = 0; f < 5 && q < eol; f++) /* to the path, after 5 fields */
				q = skip_field(q, eol);
			if ((size_t)(eol - q) == plen && !memcmp(q, path, plen)) {
				*start = s;
				*end = e;
				return 0;
			}
		}
		p = eol + 1;
	}
	return -ENOENT;
}

static int by_start(const void *a, const void *b)
{
	const struct perfmap_sym *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

void perfmap_free(struct perfmap *m)
{
	free(m->sym);
	free(m->names);
	memset(m, 0, sizeof(*m));
}

int perfmap_parse(const char *text, size_t len, struct perfmap *m)
{
	const char *p = text, *stop = text + len;
	size_t cap = 0, used = 0, names_cap = 0;
	uint32_t line = 0;

	memset(m, 0, sizeof(*m));
	for (; p < stop && m->n < PERFMAP_MAX; line++) {
		const char *eol = memchr(p, '\n', stop - p), *q = p;
		uint64_t start, size;
		size_t nlen;

		eol = eol ? eol : stop;
		if (!hex_at(&q, eol, &start) || q >= eol || *q++ != ' ' || !hex_at(&q, eol, &size) ||
		    q >= eol || *q++ != ' ' || !size || start + size < start) {
			p = eol + 1;
			continue;
		}
		nlen = (size_t)(eol - q) < PERFMAP_NAME_MAX - 1 ? (size_t)(eol - q) : PERFMAP_NAME_MAX - 1;
		if (m->n == cap) {
			size_t c = cap ? cap * 2 : 256;
			struct perfmap_sym *s = realloc(m->sym, c * sizeof(*s));

			if (!s)
				goto nomem;
			m->sym = s;
			cap = c;
		}
		if (used + nlen + 1 > names_cap) {
			size_t c = names_cap ? names_cap * 2 : 4096;
			char *n;

			while (c < used + nlen + 1)
				c *= 2;
			if (!(n = realloc(m->names, c)))
				goto nomem;
			m->names = n;
			names_cap = c;
		}
		for (size_t i = 0; i < nlen; i++) {
			unsigned char c = (unsigned char)q[i];

			m->names[used + i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
		}
		m->names[used + nlen] = '\0';
		m->sym[m->n++] = (struct perfmap_sym){ start, size, (uint32_t)used, line };
		used += nlen + 1;
		p = eol + 1;
	}
	if (m->n)
		qsort(m->sym, m->n, sizeof(*m->sym), by_start);
	return 0;
nomem:
	perfmap_free(m);
	return -ENOMEM;
}

/* JITs reuse addresses: of the functions holding addr among the 32 that
 * start nearest below it, the one written last. */
#define PERFMAP_OVERLAP_SCAN 32

const char *perfmap_lookup(const struct perfmap *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;
	const struct perfmap_sym *best = NULL;

	while (lo < hi) { /* the first starting past addr */
		size_t mid = lo + (hi - lo) / 2;

		if (m->sym[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo, k = 0; i-- > 0 && k < PERFMAP_OVERLAP_SCAN; k++) {
		const struct perfmap_sym *s = &m->sym[i];

		if (addr - s->start < s->size && (!best || s->line > best->line))
			best = s;
	}
	return best ? m->names + best->name : NULL;
}

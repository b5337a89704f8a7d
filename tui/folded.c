#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui/folded.h"
#include "views/text.h"
#include "views/view.h"

struct entry {
	char *line;       /* "comm;frame;...;frame", owned; NULL: empty slot */
	uint64_t count;
};

/* open addressing on the line's hash, kept at most half full */
struct folded {
	struct entry *slots;
	size_t cap, n;
};

struct folded *folded_new(void)
{
	return calloc(1, sizeof(struct folded));
}

void folded_free(struct folded *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->cap; i++)
		free(f->slots[i].line);
	free(f->slots);
	free(f);
}

static struct entry *slot_of(struct entry *slots, size_t cap, const char *line)
{
	size_t i = fnv1a(line, strlen(line), FNV1A_SEED) & (cap - 1);

	while (slots[i].line && strcmp(slots[i].line, line))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int grow(struct folded *f)
{
	size_t cap = f->cap ? f->cap * 2 : 1024;
	struct entry *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < f->cap; i++)
		if (f->slots[i].line)
			*slot_of(slots, cap, f->slots[i].line) = f->slots[i];
	free(f->slots);
	f->slots = slots;
	f->cap = cap;
	return 0;
}

/* A name as one field of the format: ';' separates frames and the last
 * space starts the count, so neither may be in one; nor may what the
 * sanitizer takes out. */
static void put_field(char **p, const char *name)
{
	char *clean = text_sanitize(name, strlen(name));

	for (const char *c = clean ? clean : "?"; *c; c++)
		*(*p)++ = *c == ';' ? ':' : *c == ' ' ? '_' : *c;
	free(clean);
}

static char *line_of(const struct stack_row *r)
{
	size_t len = strlen(r->comm) + 1;
	const char *q = r->frames;
	char *line, *p;

	for (uint32_t i = 0; i < r->nframes; i++, q += strlen(q) + 1)
		len += strlen(q) * 4 + 1; /* the sanitizer may write \xNN for a byte */
	if (!(line = p = malloc(len + 8)))
		return NULL;
	put_field(&p, r->comm[0] ? r->comm : "?");
	q = r->frames;
	for (uint32_t i = 0; i < r->nframes; i++, q += strlen(q) + 1) {
		*p++ = ';';
		put_field(&p, q);
	}
	*p = '\0';
	return line;
}

int folded_add(struct folded *f, const struct stack_snap *s)
{
	for (size_t i = 0; i < s->n; i++) {
		char *line = line_of(&s->rows[i]);
		struct entry *e;

		if (!line || ((f->n + 1) * 2 > f->cap && grow(f))) {
			free(line);
			return -ENOMEM;
		}
		e = slot_of(f->slots, f->cap, line);
		if (e->line) {
			free(line);
		} else {
			e->line = line;
			f->n++;
		}
		e->count += s->rows[i].count;
	}
	return 0;
}

static int by_count(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->line, y->line);
}

int folded_write(const struct folded *f, const char *path)
{
	struct entry **order = malloc((f->n ? f->n : 1) * sizeof(*order));
	FILE *out;
	size_t n = 0;
	int err = 0;

	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < f->cap; i++)
		if (f->slots[i].line)
			order[n++] = &f->slots[i];
	qsort(order, n, sizeof(*order), by_count);
	if (!(out = fopen(path, "we"))) {
		free(order);
		return -errno;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s %llu\n", order[i]->line, (unsigned long long)order[i]->count);
	if (ferror(out))
		err = -EIO;
	if (fclose(out) && !err)
		err = -errno;
	free(order);
	return err;
}

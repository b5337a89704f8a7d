#include <stdlib.h>
#include "probes/baseline.h"

/* Keys are pids times a small factor plus a field: a multiplicative hash
 * spreads those runs over the table. */
static size_t home(const struct baseline *b, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (b->cap - 1);
}

/* Every key is valid (pid 0 too), so an empty slot is marked by its value:
 * UINT64_MAX, which baseline_step never stores. */
static int used(const struct slot *s)
{
	return s->value != UINT64_MAX;
}

/* The slot of key, or the empty slot where it would go. */
static struct slot *find(const struct baseline *b, uint64_t key)
{
	size_t i = home(b, key);

	while (used(&b->slots[i]) && b->slots[i].key != key)
		i = (i + 1) & (b->cap - 1);
	return &b->slots[i];
}

static int grow(struct baseline *b)
{
	size_t cap = b->cap ? b->cap * 2 : 1024;
	struct slot *old = b->slots, *s;
	size_t oldcap = b->cap;

	s = malloc(cap * sizeof(*s));
	if (!s)
		return -1;
	for (size_t i = 0; i < cap; i++)
		s[i].value = UINT64_MAX;
	b->slots = s;
	b->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (used(&old[i]))
			*find(b, old[i].key) = old[i];
	free(old);
	return 0;
}

uint64_t baseline_step(struct baseline *b, uint64_t key, uint64_t now)
{
	struct slot *s;
	uint64_t delta;

	if (now == UINT64_MAX) /* the empty mark; no counter gets there */
		now--;
	if ((b->n + 1) * 4 > b->cap * 3 && grow(b))
		return now;
	s = find(b, key);
	if (!used(s)) {
		b->n++;
		*s = (struct slot){ key, now };
		return now;
	}
	if (s->value > now && b->hold)
		return 0;
	delta = s->value > now ? now : now - s->value;
	s->value = now;
	return delta;
}

void baseline_forget(struct baseline *b, uint64_t key)
{
	size_t i, j;

	if (!b->cap)
		return;
	i = find(b, key) - b->slots;
	if (!used(&b->slots[i]))
		return;
	/* Backward-shift deletion: move later members of the probe run into
	 * the hole when their home does not lie cyclically in (i, j]. */
	for (j = (i + 1) & (b->cap - 1); used(&b->slots[j]); j = (j + 1) & (b->cap - 1)) {
		size_t h = home(b, b->slots[j].key);

		if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
			b->slots[i] = b->slots[j];
			i = j;
		}
	}
	b->slots[i].value = UINT64_MAX;
	b->n--;
}

void baseline_complete(struct baseline *b)
{
	b->valid = 1;
}

void baseline_reset(struct baseline *b)
{
	b->valid = 0;
}

void baseline_free(struct baseline *b)
{
	free(b->slots);
	*b = (struct baseline){ 0 };
}

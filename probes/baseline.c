#include <stdlib.h>
#include "baseline.h"

static int by_key(const void *a, const void *b)
{
	uint64_t x = ((const struct total *)a)->key, y = ((const struct total *)b)->key;

	return (x > y) - (x < y);
}

uint64_t baseline_delta(const struct baseline *b, uint64_t key, uint64_t now)
{
	struct total probe = { .key = key }, *hit;

	hit = b->n ? bsearch(&probe, b->v, b->n, sizeof(probe), by_key) : NULL;
	if (!hit || hit->value > now)
		return now;
	return now - hit->value;
}

void baseline_commit(struct baseline *b, struct total *now, size_t n)
{
	qsort(now, n, sizeof(*now), by_key);
	free(b->v);
	b->v = now;
	b->n = n;
	b->valid = 1;
}

void baseline_reset(struct baseline *b)
{
	b->valid = 0;
}

void baseline_free(struct baseline *b)
{
	free(b->v);
	b->v = NULL;
	b->n = 0;
	b->valid = 0;
}

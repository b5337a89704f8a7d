#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "probes/changed.h"
#include "probes/snapshot.h"
#include "probes/gather.h"
#include "probes/mapread.h"
#include "bpf/touched.h"

void changed_init(struct changed *c, struct touched_ring *ring, int map_fd)
{
	*c = (struct changed){ .ring = ring };
	if (map_fd >= 0)
		c->gather = gather_new(map_fd);
}

void changed_fini(struct changed *c)
{
	gather_free(c->gather);
	c->gather = NULL;
}

static size_t sort_unique(uint32_t *k, size_t n)
{
	size_t m = 0;

	qsort(k, n, sizeof(*k), cmp_u32);
	for (size_t i = 0; i < n; i++)
		if (!m || k[m - 1] != k[i])
			k[m++] = k[i];
	return m;
}

/* The keys pushed since the last read and the extra ones, sorted and
 * unique, into *out; -1 when the ring overflowed or there are too many to
 * look up one by one. */
static long pushed_keys(struct changed *c, uint64_t head, const uint32_t *extra, size_t nextra,
		   uint32_t **out)
{
	uint64_t pending = head - c->tail, i;
	uint32_t *k;
	size_t n = nextra;

	if (pending + nextra > CHANGED_MAX_LOOKUPS)
		return -1;
	k = malloc((pending + nextra + 1) * sizeof(*k));
	if (!k)
		return -1;
	if (nextra)
		memcpy(k, extra, nextra * sizeof(*k));
	for (i = c->tail; i < head; i++) {
		uint64_t s = __atomic_load_n(&c->ring->slots[i & (TOUCHED_SLOTS - 1)], __ATOMIC_ACQUIRE);

		if (TOUCHED_SEQ(s) != (uint32_t)i) /* claimed, not yet written: next time */
			break;
		k[n++] = TOUCHED_KEY(s);
	}
	c->tail = i;
	*out = k;
	return sort_unique(k, n);
}

long changed_keys(struct changed *c, bool all, const uint32_t *extra, size_t nextra,
		  uint32_t **keys)
{
	uint64_t head;
	long n = -1;

	/* From here on each entry's first write pushes its key again; the
	 * full barrier pairs with touch()'s (bpf/changed.bpf.h). */
	__atomic_store_n(&c->ring->epoch, c->ring->epoch + 1, __ATOMIC_SEQ_CST);
	head = __atomic_load_n(&c->ring->head, __ATOMIC_ACQUIRE);
	if (!all)
		n = pushed_keys(c, head, extra, nextra, keys);
	if (n < 0)
		c->tail = head; /* the whole map is read: every push so far is in it */
	return n;
}

/* The per-key way: a lookup syscall each. */
static long lookup_each(int fd, uint32_t *k, long n, char *v, size_t vsize)
{
	long got = 0;

	for (long i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(fd, &k[i], v + got * vsize) == 0)
			k[got++] = k[i];
		else if (errno != ENOENT) /* ENOENT: deleted at its exit */
			return -errno;
	}
	return got;
}

long changed_read(struct changed *c, int fd, bool all, const uint32_t *extra, size_t nextra,
		  size_t vsize, uint32_t **keys, void **values)
{
	uint32_t *k;
	char *v;
	long n = changed_keys(c, all, extra, nextra, &k), got;

	if (n < 0)
		return map_read_all(fd, sizeof(uint32_t), vsize, (void **)keys, values);
	v = malloc((n ? n : 1) * vsize);
	if (!v) {
		free(k);
		return -ENOMEM;
	}
	got = c->gather ? gather_lookup(c->gather, k, n, v, vsize) : lookup_each(fd, k, n, v, vsize);
	if (got < 0) {
		free(k), free(v);
		return got;
	}
	*keys = k;
	*values = v;
	return got;
}

/* The touched ring's reader: which keys a refresh looks up. The ring is
 * faked in memory the way the kernel fills it (bpf/changed.bpf.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "probes/changed.h"
#include "bpf/touched.h"

static struct touched_ring ring;

/* What touch() does: claim push head, write its slot. */
static void push(uint32_t key)
{
	ring.slots[ring.head & (TOUCHED_SLOTS - 1)] = ring.head << 32 | key;
	ring.head++;
}

static struct changed fresh(uint64_t start)
{
	struct changed c;

	ring.epoch = 7;
	ring.head = start;
	changed_init(&c, &ring, -1); /* no map: no gatherer */
	c.tail = start;
	return c;
}

static void keys_once_sorted_with_extra(void **state)
{
	struct changed c = fresh(0);
	const uint32_t extra[] = { 20, 30 };
	uint32_t *k;

	(void)state;
	push(30), push(10), push(30), push(10);
	assert_int_equal(changed_keys(&c, false, extra, 2, &k), 3);
	assert_int_equal(k[0], 10);
	assert_int_equal(k[1], 20);
	assert_int_equal(k[2], 30);
	assert_int_equal(ring.epoch, 8); /* advanced first: later writes push again */
	free(k);
	assert_int_equal(changed_keys(&c, false, NULL, 0, &k), 0); /* nothing new */
	free(k);
}

/* A push claimed but not yet written stops the read there; the next read
 * resumes at it, so nothing after it is skipped either. */
static void unwritten_slot_waits(void **state)
{
	struct changed c = fresh(100);
	uint32_t *k;

	(void)state;
	push(1);
	ring.head++; /* push 101 claimed, its slot still holds an older push */
	push(3);
	assert_int_equal(changed_keys(&c, false, NULL, 0, &k), 1);
	assert_int_equal(k[0], 1);
	free(k);
	ring.slots[101 & (TOUCHED_SLOTS - 1)] = (uint64_t)101 << 32 | 2;
	assert_int_equal(changed_keys(&c, false, NULL, 0, &k), 2);
	assert_int_equal(k[0], 2);
	assert_int_equal(k[1], 3);
	free(k);
}

/* Sequence numbers are compared on their low 32 bits: past 2^32 pushes
 * the ring reads on. */
static void sequence_wraps(void **state)
{
	struct changed c = fresh(0xfffffffeull);
	uint32_t *k;

	(void)state;
	push(5), push(6), push(7), push(8);
	assert_int_equal(changed_keys(&c, false, NULL, 0, &k), 4);
	assert_int_equal(k[3], 8);
	free(k);
}

/* Too many keys (or an overflowed ring) and "all" say: read the whole
 * map; every push so far is then in that read. */
static void whole_map_when_too_many(void **state)
{
	struct changed c = fresh(0);
	uint32_t *k;

	(void)state;
	for (uint32_t i = 0; i <= CHANGED_MAX_LOOKUPS; i++)
		push(i);
	assert_int_equal(changed_keys(&c, false, NULL, 0, &k), -1);
	assert_int_equal(c.tail, ring.head);
	push(1);
	assert_int_equal(changed_keys(&c, true, NULL, 0, &k), -1);
	assert_int_equal(c.tail, ring.head);
	push(2);
	assert_int_equal(changed_keys(&c, false, NULL, 0, &k), 1);
	assert_int_equal(k[0], 2);
	free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_once_sorted_with_extra),
		cmocka_unit_test(unwritten_slot_waits),
		cmocka_unit_test(sequence_wraps),
		cmocka_unit_test(whole_map_when_too_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

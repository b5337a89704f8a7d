/* The cpu probe's slices in progress, for each sequence of seen and unseen
 * switches: what is counted now is what the probe adds to the entries at
 * the switches to come, no more (a reading ahead of the entries would be
 * held) and no less (the interval would come up short). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "probes/slices.h"

#define NOW 1000000

/* procfs stand-in: thread 7 (of process 70) has run 5,000 ns in all;
 * thread 8 has exited */
static int runtime(uint32_t tgid, uint32_t tid, uint64_t *ns)
{
	if (tid == 8)
		return -2;
	assert_int_equal(tgid, 70);
	assert_int_equal(tid, 7);
	*ns = 5000;
	return 0;
}

static int no_runtime(uint32_t tgid, uint32_t tid, uint64_t *ns)
{
	(void)tgid, (void)tid, (void)ns;
	fail_msg("runtime asked although the CPU's reading had it");
	return -1;
}

/* the slot after a switch to thread 7 at 400,000 ns, its runtime then 1,000 */
static const struct cpu_running slot7 = { .start_ns = 400000, .rt_start = 1000, .pid = 7,
					  .tgid = 70, .wanted = 1 };
static const struct cpu_running slot_idle = { .start_ns = 600000, .wanted = 1 };

static void seen(void **state)
{
	struct cpu_now cpus[2] = {
		{ .slot = slot7, .read = 1, .pid = 7, .tgid = 70, .wanted = 1, .rt = 3500,
		  .rt_picked = 1000 },
		{ .slot = slot_idle, .read = 1, .wanted = 1 },
	};
	struct slice out[4];

	(void)state;
	assert_int_equal(slices_in_progress(cpus, 2, NOW, no_runtime, out), 2);
	assert_int_equal(out[0].tgid, 70);
	assert_int_equal(out[0].ns, 2500);             /* the CPU's read runtime */
	assert_int_equal(out[1].tgid, 0);
	assert_int_equal(out[1].ns, NOW - 600000);     /* idle: wall time */
}

/* Without cpu_now, the slot's task is taken to run and procfs asked. */
static void slots_only(void **state)
{
	struct cpu_now cpus[2] = { { .slot = slot7 }, { .slot = slot_idle } };
	struct slice out[4];

	(void)state;
	assert_int_equal(slices_in_progress(cpus, 2, NOW, runtime, out), 2);
	assert_int_equal(out[0].ns, 4000);
	assert_int_equal(out[1].ns, NOW - 600000);
}

/* The switch from 7 to thread 9 of process 90 was not seen: 7's slice is
 * final (procfs), 9's is counted since it was picked. */
static void switch_in_unseen(void **state)
{
	struct cpu_now c = { .slot = slot7, .read = 1, .pid = 9, .tgid = 90, .wanted = 1,
			     .rt = 9000, .rt_picked = 6000 };
	struct slice out[2];

	(void)state;
	assert_int_equal(slices_in_progress(&c, 1, NOW, runtime, out), 2);
	assert_int_equal(out[0].tgid, 70);
	assert_int_equal(out[0].ns, 4000);
	assert_int_equal(out[1].tgid, 90);
	assert_int_equal(out[1].ns, 3000);
	c.wanted = 0; /* filtered out: only its entry would be, and it is not kept */
	assert_int_equal(slices_in_progress(&c, 1, NOW, runtime, out), 1);
	c.wanted = 1;
	c.rt_picked = c.rt; /* a real-time task: nothing of its slice known */
	assert_int_equal(slices_in_progress(&c, 1, NOW, runtime, out), 1);
	c.slot.pid = 8; /* the slot's thread exited: its runtime cannot be read */
	c.rt_picked = 6000;
	assert_int_equal(slices_in_progress(&c, 1, NOW, runtime, out), 1);
	assert_int_equal(out[0].tgid, 90);
}

/* Unseen switch to idle: the probe counts idle from the slot's start at
 * the next switch away from idle, so the reading does too. Unseen switch
 * from idle: that stretch is never counted, so not now either. */
static void idle_unseen(void **state)
{
	struct cpu_now to_idle = { .slot = slot7, .read = 1, .wanted = 1 };
	struct cpu_now from_idle = { .slot = slot_idle, .read = 1, .pid = 9, .tgid = 90,
				     .wanted = 1, .rt = 9000, .rt_picked = 8000 };
	struct slice out[2];

	(void)state;
	assert_int_equal(slices_in_progress(&to_idle, 1, NOW, runtime, out), 2);
	assert_int_equal(out[0].ns, 4000);
	assert_int_equal(out[1].tgid, 0);
	assert_int_equal(out[1].ns, NOW - 400000);
	assert_int_equal(slices_in_progress(&from_idle, 1, NOW, no_runtime, out), 1);
	assert_int_equal(out[0].tgid, 90);
	assert_int_equal(out[0].ns, 1000);
}

/* A slot from after now, an empty slot, a filtered one: nothing. */
static void nothing(void **state)
{
	struct cpu_now cpus[3] = {
		{ .slot = { .start_ns = NOW, .pid = 7, .tgid = 70, .wanted = 1 }, .read = 1,
		  .pid = 7, .tgid = 70, .wanted = 1, .rt = 5 },
		{ .read = 1 },
		{ .slot = { .start_ns = 1, .rt_start = 1, .pid = 7, .tgid = 70 }, .read = 1, .pid = 7,
		  .tgid = 70, .rt = 5 },
	};
	struct slice out[6];

	(void)state;
	assert_int_equal(slices_in_progress(cpus, 3, NOW, no_runtime, out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seen),
		cmocka_unit_test(slots_only),
		cmocka_unit_test(switch_in_unseen),
		cmocka_unit_test(idle_unseen),
		cmocka_unit_test(nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

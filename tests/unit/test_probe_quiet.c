/* probe_quiet_load mutes libbpf for the loading thread only: probes load on
 * several threads at once, and a fallback being tried on one must not hide
 * another's real failure. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bpf/libbpf.h>
#include "probes/probe.h"

#define ROUNDS 500

static _Thread_local int *heard_here; /* this thread's count, or NULL */

static int count_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)fmt, (void)ap;
	if (level != LIBBPF_DEBUG && heard_here)
		__atomic_add_fetch(heard_here, 1, __ATOMIC_RELAXED);
	return 0;
}

/* An object libbpf cannot open: it warns and fails. */
static int load_junk(void *unused)
{
	static const char junk[64] = "not an ELF file";
	struct bpf_object *obj = bpf_object__open_mem(junk, sizeof(junk), NULL);

	(void)unused;
	if (obj) {
		bpf_object__close(obj);
		return 0;
	}
	return -errno;
}

struct loader {
	bool quiet;
	int heard, failed;
	pthread_barrier_t *go;
};

static void *load_many(void *arg)
{
	struct loader *l = arg;

	heard_here = &l->heard;
	pthread_barrier_wait(l->go);
	for (int i = 0; i < ROUNDS; i++)
		if (probe_quiet_load(load_junk, NULL, l->quiet) < 0)
			l->failed++;
	return NULL;
}

static void muted_per_thread(void **state)
{
	pthread_barrier_t go;
	struct loader quiet = { .quiet = true, .go = &go }, loud = { .quiet = false, .go = &go };
	pthread_t a, b;

	(void)state;
	libbpf_set_print(count_print);
	pthread_barrier_init(&go, NULL, 2);
	assert_int_equal(pthread_create(&a, NULL, load_many, &quiet), 0);
	assert_int_equal(pthread_create(&b, NULL, load_many, &loud), 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_barrier_destroy(&go);
	assert_int_equal(quiet.failed, ROUNDS);
	assert_int_equal(loud.failed, ROUNDS);
	assert_int_equal(quiet.heard, 0);
	/* every failed open said why, however the two threads interleaved */
	assert_true(loud.heard >= ROUNDS);
	assert_int_equal(loud.heard % ROUNDS, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(muted_per_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

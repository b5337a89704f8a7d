/* The kernel's BTF parsed once for every object (probes/vmlinux_btf.c): what
 * it lends is the kernel's BTF, and libbpf's own loads come to it. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "probes/vmlinux_btf.h"

#define PATH "/sys/kernel/btf/vmlinux"

/* ebtop refuses to start without it; so do these tests, saying why. */
#define NEED_BTF()                                                                   \
	do {                                                                         \
		if (access(PATH, R_OK)) {                                            \
			printf("# no readable " PATH ": this kernel has no BTF\n");  \
			skip();                                                      \
		}                                                                    \
	} while (0)

/* Byte for byte what libbpf parses from the file itself. Until released,
 * every call lends the same btf and freeing it is a no-op (libbpf frees
 * what it loads once per object); after, a call parses the file again. */
static void same_as_the_file(void **state)
{
	uint32_t file_len, ours_len;
	struct btf *file, *first = NULL;
	const void *file_raw;

	(void)state;
	NEED_BTF();
	file = btf__parse(PATH, NULL);
	assert_non_null(file);
	file_raw = btf__raw_data(file, &file_len);
	for (int round = 0; round < 3; round++) {
		size_t before = vmlinux_btf_served();
		struct btf *ours = btf__load_vmlinux_btf();
		const void *raw;

		assert_non_null(ours);
		assert_int_equal(vmlinux_btf_served(), before + 1);
		if (round == 1)
			assert_ptr_equal(ours, first); /* lent again, not parsed again */
		first = ours;
		btf__free(ours); /* lent: still whole after the caller's free */
		assert_int_equal(btf__type_cnt(ours), btf__type_cnt(file));
		raw = btf__raw_data(ours, &ours_len);
		assert_int_equal(ours_len, file_len);
		assert_memory_equal(raw, file_raw, file_len);
		if (round == 1)
			vmlinux_btf_release(); /* round 2 parses afresh */
	}
	vmlinux_btf_release();
	btf__free(file); /* not lent: really freed (the sanitizer run sees a leak if not) */
}

/* Objects load on several threads at once; the first calls race to parse
 * the file, and the one parse is lent to all of them. */
#define THREADS 4

static pthread_barrier_t go;

static void *load_after_go(void *out)
{
	pthread_barrier_wait(&go);
	*(struct btf **)out = btf__load_vmlinux_btf();
	return NULL;
}

static void one_parse_for_threads(void **state)
{
	struct btf *got[THREADS];
	pthread_t t[THREADS];
	size_t before = vmlinux_btf_served();

	(void)state;
	NEED_BTF();
	vmlinux_btf_release(); /* nothing parsed yet: the threads race for it */
	pthread_barrier_init(&go, NULL, THREADS);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, load_after_go, &got[i]), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	assert_int_equal(vmlinux_btf_served(), before + THREADS);
	for (int i = 0; i < THREADS; i++) {
		assert_non_null(got[i]);
		assert_ptr_equal(got[i], got[0]); /* a second parse would leak, too */
		btf__free(got[i]);
	}
	assert_true(btf__type_cnt(got[0]) > 1000); /* still lent, still whole */
	vmlinux_btf_release();
}

/* libbpf reaches ours when it needs vmlinux BTF (it does when it loads an
 * object, and in this call, which needs no privileges). */
static void libbpf_calls_come_here(void **state)
{
	size_t before = vmlinux_btf_served();

	(void)state;
	NEED_BTF();
	libbpf_set_print(NULL); /* the missing name is expected */
	assert_true(libbpf_find_vmlinux_btf_id("sched_switch", BPF_TRACE_RAW_TP) > 0);
	assert_int_equal(vmlinux_btf_served(), before + 1);
	assert_true(libbpf_find_vmlinux_btf_id("no_such_tracepoint_xyz", BPF_TRACE_RAW_TP) < 0);
	assert_int_equal(vmlinux_btf_served(), before + 2);
	vmlinux_btf_release();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_the_file),
		cmocka_unit_test(one_parse_for_threads),
		cmocka_unit_test(libbpf_calls_come_here),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

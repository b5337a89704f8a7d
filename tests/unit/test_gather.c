/* The gatherer (probes/gather.c) against the kernel's own lookups: for
 * plain and per-CPU maps, values small and large (several program runs),
 * keys present and missing. Needs root for BPF; skips saying so. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "probes/gather.h"

#define NEED_ROOT()                                                          \
	do {                                                                 \
		if (geteuid() != 0) {                                        \
			printf("# needs root: BPF maps and programs\n");     \
			skip();                                              \
		}                                                            \
	} while (0)

/* A map of the type with every third key of 0..3n missing, each value's
 * bytes derived from its key and CPU; compare the gatherer with lookups. */
static void compare(enum bpf_map_type type, uint32_t vsize, uint32_t n)
{
	int ncpus = type == BPF_MAP_TYPE_PERCPU_HASH ? libbpf_num_possible_cpus() : 1;
	size_t stride = type == BPF_MAP_TYPE_PERCPU_HASH ? (vsize + 7) / 8 * 8 : vsize;
	size_t per_key = stride * ncpus;
	int fd = bpf_map_create(type, "gather_test", 4, vsize, 4 * n, NULL);
	uint32_t *keys = malloc(3 * n * sizeof(*keys)), *want = malloc(3 * n * sizeof(*want));
	char *val = malloc(per_key), *got = malloc(3 * n * per_key), *exp = malloc(3 * n * per_key);
	struct gather *g;
	size_t nwant = 0;
	long found;

	assert_true(fd >= 0);
	assert_non_null(keys && want && val && got && exp);
	for (uint32_t k = 0; k < 3 * n; k++) {
		keys[k] = k * 7919; /* spread, and in no sorted order the map keeps */
		if (k % 3 == 2)
			continue;
		for (size_t b = 0; b < per_key; b++)
			val[b] = (char)(keys[k] * 31 + b);
		assert_int_equal(bpf_map_update_elem(fd, &keys[k], val, BPF_ANY), 0);
		assert_int_equal(bpf_map_lookup_elem(fd, &keys[k], exp + nwant * per_key), 0);
		want[nwant++] = keys[k];
	}
	g = gather_new(fd);
	assert_non_null(g);
	assert_int_equal(gather_lookup(g, keys, 3 * n, got, per_key + 8), -EINVAL);
	found = gather_lookup(g, keys, 3 * n, got, per_key);
	assert_int_equal(found, nwant);
	assert_memory_equal(keys, want, nwant * sizeof(*keys));
	assert_memory_equal(got, exp, nwant * per_key);
	gather_free(g);
	close(fd);
	free(keys), free(want), free(val), free(got), free(exp);
}

static void plain_small_values(void **state)
{
	(void)state;
	NEED_ROOT();
	compare(BPF_MAP_TYPE_HASH, 48, 1000);
}

/* 1,576-byte values: about 160 per run, so the 2,000 found take several */
static void plain_large_values_many_runs(void **state)
{
	(void)state;
	NEED_ROOT();
	compare(BPF_MAP_TYPE_HASH, 1576, 1000);
}

static void percpu_values_every_cpu(void **state)
{
	(void)state;
	NEED_ROOT();
	compare(BPF_MAP_TYPE_PERCPU_HASH, 44, 1500); /* padded to 48 per CPU */
}

static void forced_off_for_tests(void **state)
{
	int fd;

	(void)state;
	NEED_ROOT();
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "gather_test", 4, 8, 4, NULL);
	assert_true(fd >= 0);
	setenv("EBTOP_FAIL_PROBE", "gather", 1);
	assert_null(gather_new(fd));
	assert_int_equal(errno, ECANCELED);
	unsetenv("EBTOP_FAIL_PROBE");
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_small_values),
		cmocka_unit_test(plain_large_values_many_runs),
		cmocka_unit_test(percpu_values_every_cpu),
		cmocka_unit_test(forced_off_for_tests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

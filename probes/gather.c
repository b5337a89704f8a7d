#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "probes/gather.h"
#include "bpf/gather_layout.h"
#include "gather.skel.h"
#include "probes/probe.h"

struct gather {
	struct gather_bpf *skel;
	int prog_fd;
	size_t vsize;       /* bytes per key: all CPUs' values for a per-CPU map */
	size_t per_run;     /* keys per program run */
};

static bool is_percpu(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

void gather_free(struct gather *g)
{
	if (!g)
		return;
	gather_bpf__destroy(g->skel);
	free(g);
}

struct gather *gather_new(int map_fd)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	struct gather *g;
	bool percpu;
	int ncpus = 1, err;

	if (probe_forced_failure("gather")) {
		errno = ECANCELED;
		return NULL;
	}
	if (bpf_obj_get_info_by_fd(map_fd, &info, &len))
		return NULL;
	percpu = is_percpu(info.type);
	if (percpu && (ncpus = libbpf_num_possible_cpus()) < 1) {
		errno = -ncpus;
		return NULL;
	}
	if (info.key_size != sizeof(uint32_t) || info.value_size > GATHER_VALUE_MAX) {
		errno = EINVAL;
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->skel = gather_bpf__open();
	if (!g->skel) {
		err = -errno;
		goto fail;
	}
	/* the layout of a lookup syscall: per-CPU values 8-byte aligned */
	g->skel->rodata->size = percpu ? (info.value_size + 7) & ~7u : info.value_size;
	g->skel->rodata->ncpus = ncpus;
	g->vsize = (size_t)g->skel->rodata->size * ncpus;
	g->per_run = (GATHER_BYTES - GATHER_VALUE_MAX) / g->vsize;
	if (g->per_run > GATHER_KEYS)
		g->per_run = GATHER_KEYS;
	if (!g->per_run) {
		err = -E2BIG; /* more CPUs than one run holds values for */
		goto fail;
	}
	bpf_program__set_autoload(g->skel->progs.gather, !percpu);
	bpf_program__set_autoload(g->skel->progs.gather_percpu, percpu);
	err = bpf_map__reuse_fd(g->skel->maps.target, map_fd);
	/* a kernel without it is expected: the caller falls back, quietly */
	if (!err)
		err = probe_quiet_load((int (*)(void *))gather_bpf__load, g->skel, true);
	if (err)
		goto fail;
	g->prog_fd = bpf_program__fd(percpu ? g->skel->progs.gather_percpu : g->skel->progs.gather);
	return g;
fail:
	gather_free(g);
	errno = -err;
	return NULL;
}

long gather_lookup(struct gather *g, uint32_t *keys, size_t n, void *values, size_t vsize)
{
	struct gather_bpf__bss *bss = g->skel->bss;
	char *v = values;
	size_t got = 0;

	if (vsize != g->vsize)
		return -EINVAL;
	for (size_t at = 0; at < n; at += g->per_run) {
		size_t m = n - at < g->per_run ? n - at : g->per_run;
		LIBBPF_OPTS(bpf_test_run_opts, run);

		memcpy(bss->keys, keys + at, m * sizeof(*keys));
		memset(bss->found, 0, m);
		bss->nkeys = m;
		if (bpf_prog_test_run_opts(g->prog_fd, &run))
			return -errno;
		for (size_t i = 0; i < m; i++) {
			if (!bss->found[i])
				continue; /* deleted at its exit */
			keys[got] = keys[at + i];
			memcpy(v + got * g->vsize, bss->out + i * g->vsize, g->vsize);
			got++;
		}
	}
	return got;
}

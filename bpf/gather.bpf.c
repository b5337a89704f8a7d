// SPDX-License-Identifier: GPL-2.0
/* Look up many keys of one map in a single program run (BPF_PROG_RUN of a
 * syscall program), where each lookup would otherwise be a syscall of its
 * own: one syscall in all instead of one per key (doc/performance.md).
 * Userspace points `target` at the map (one loaded instance per map) and
 * sets the constants before load; see gather_layout.h for the layout. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "gather_layout.h"

char LICENSE[] SEC("license") = "GPL";

/* Replaced by the map to read (bpf_map__reuse_fd) before load. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} target SEC(".maps");

/* bytes per value: the map's value size, for per-CPU maps rounded up to 8
 * as the kernel stores (and a lookup syscall returns) each CPU's */
const volatile __u32 size = 8;
const volatile __u32 ncpus = 1;      /* per-CPU maps: values per key */

__u32 nkeys;
__u32 keys[GATHER_KEYS];
__u8 found[GATHER_KEYS];             /* cleared by userspace before a run */
__u8 out[GATHER_BYTES];

/* Keep v, key i's value (on CPU j % ncpus), as value j of out. */
static __always_inline long keep(__u64 i, __u64 j, void *v)
{
	__u64 off = j * size;

	if (i >= GATHER_KEYS || off > GATHER_BYTES - GATHER_VALUE_MAX || size > GATHER_VALUE_MAX)
		return 1;
	if (v) {
		found[i] = 1;
		bpf_probe_read_kernel(&out[off], size, v);
	}
	return 0;
}

static long copy_one(__u64 i, void *ctx)
{
	if (i >= GATHER_KEYS)
		return 1;
	return keep(i, i, bpf_map_lookup_elem(&target, &keys[i]));
}

static long copy_one_percpu(__u64 j, void *ctx)
{
	__u64 i = j / ncpus;

	if (i >= GATHER_KEYS)
		return 1;
	return keep(i, j, bpf_map_lookup_percpu_elem(&target, &keys[i], j % ncpus));
}

/* One of the two is loaded, as the map is per-CPU or not. */
SEC("syscall")
int gather(void *ctx)
{
	bpf_loop(nkeys, copy_one, NULL, 0);
	return 0;
}

SEC("syscall")
int gather_percpu(void *ctx)
{
	bpf_loop(nkeys * ncpus, copy_one_percpu, NULL, 0);
	return 0;
}

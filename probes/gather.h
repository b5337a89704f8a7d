/* Many lookups of one map in a single program run instead of a syscall
 * each (bpf/gather.bpf.c). Needs a kernel that runs syscall programs with
 * bpf_loop and per-CPU lookups (5.19); without, gather_new says so and the
 * caller looks keys up one by one. */
#ifndef EBTOP_GATHER_H
#define EBTOP_GATHER_H

#include <stddef.h>
#include <stdint.h>

struct gather;

/* A gatherer for map_fd (u32 keys; hash or array, per-CPU or not), or NULL
 * with errno set. */
struct gather *gather_new(int map_fd);
void gather_free(struct gather *g);
/* Look up the n keys; the found ones stay in keys, in order, moved to the
 * front, with their values in values, laid out as lookup syscalls return
 * them: vsize bytes each, all CPUs' for a per-CPU map (-EINVAL if vsize is
 * not that). Returns how many were found, or -errno. */
long gather_lookup(struct gather *g, uint32_t *keys, size_t n, void *values, size_t vsize);

#endif

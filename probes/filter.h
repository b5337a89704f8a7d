/* The PID/cgroup filter, shared by every BPF program through two maps that
 * this module creates once; probes reuse them before they load. */
#ifndef EBTOP_PROBE_FILTER_H
#define EBTOP_PROBE_FILTER_H

#include <stddef.h>
#include <stdint.h>

/* The most PIDs a user's filter names (-p, the p prompt, a replayed
 * document's filter); the kernel's set also holds what they fork. */
#define MAX_FILTER_PIDS 64

struct bpf_object;
struct filter;

/* The shared maps; NULL (why said) if they cannot be made. */
struct filter *filter_open(char *why, size_t whylen);
/* Load and attach the programs that put what the filtered processes
 * fork into the PID set: one of the loads start-up runs side by side. */
void filter_follow(struct filter *f);
void filter_close(struct filter *f);
/* Point obj's filter maps at the shared ones; a NULL filter is a no-op. */
int filter_reuse(struct filter *f, struct bpf_object *obj);
/* Replace the PID set (n == 0 clears it). Returns -errno. */
int filter_set_pids(struct filter *f, const uint32_t *pids, size_t n);
/* Filter on a cgroup v2 id and its descendants (0 clears it). */
int filter_set_cgroup(struct filter *f, uint64_t cgroup_id);

#endif

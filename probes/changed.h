/* Reading a per-process map by what changed since the last read: the keys
 * the kernel pushed onto its touched ring (bpf/changed.bpf.h), looked up
 * in one program run (gather.h), or one by one where the kernel cannot run
 * one. The whole map is read instead on the first read, after a
 * reset, when the ring overflowed, and when so many keys changed that one
 * batch walk is cheaper than their lookups. */
#ifndef EBTOP_CHANGED_H
#define EBTOP_CHANGED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

struct gather;
struct touched_ring;

struct changed {
	struct touched_ring *ring; /* in the object's .bss, mapped */
	uint64_t tail;      /* pushes read so far */
	struct gather *gather;  /* NULL: a lookup syscall per key */
};

/* Beyond this many keys one batch walk of the map is cheaper than their
 * lookups as syscalls (about 1 us each, 3 on a VM). Gathered (0.03 us) they
 * would stay cheaper; the bound then only caps the keys held at once. */
#define CHANGED_MAX_LOOKUPS 4096

/* Point at a ring in a loaded object's .bss, for the map map_fd, whose
 * keys a gatherer looks up where the kernel runs one (map_fd -1: none);
 * changed_fini frees that. */
void changed_init(struct changed *c, struct touched_ring *ring, int map_fd);
void changed_fini(struct changed *c);
/* Advance the epoch, then put the keys pushed since the last call, and
 * the nextra keys of extra, sorted and unique, in *keys (malloc'd) and
 * return their number. Returns -1 when the whole map is to be read
 * instead: all is set, the ring overflowed, there are more keys than
 * CHANGED_MAX_LOOKUPS, or memory ran out. */
long changed_keys(struct changed *c, bool all, const uint32_t *extra, size_t nextra,
		  uint32_t **keys);
/* Read the map fd (u32 keys, values of vsize bytes) as map_read_all does,
 * but only the entries of changed_keys unless it says all. Returns the
 * count, or -errno. */
long changed_read(struct changed *c, int fd, bool all, const uint32_t *extra, size_t nextra,
		  size_t vsize, uint32_t **keys, void **values);

#endif

/* cgroup v2 paths and ids: the mount (hybrid or pure v2 hosts), path -> id
 * with name_to_handle_at, and id -> path through a cache of the tree. */
#ifndef EBTOP_CGROUP_H
#define EBTOP_CGROUP_H

#include <stddef.h>
#include <stdint.h>

/* The cgroup2 mount point, or NULL when there is none. */
const char *cgroup_mount(void);
/* Resolve an absolute path, or one relative to the cgroup2 mount, to its id.
 * Returns 0 and sets *id, or -errno with a message in why. */
int cgroup_resolve(const char *path, uint64_t *id, char *why, size_t whylen);
/* The path below the mount for an id ("/" for the root), or NULL if unknown.
 * The tree is rescanned at most once per call of cgroup_cache_tick. */
const char *cgroup_path(uint64_t id);
void cgroup_cache_tick(void);
void cgroup_cache_free(void);

#endif

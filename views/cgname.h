/* What a cgroup v2 path means to a person, from the path alone (no daemon
 * is asked): systemd units and sessions, containers of docker,
 * containerd, CRI-O and podman, Kubernetes pods with their QoS class,
 * slices; anything else by its last element. README has the table. */
#ifndef EBTOP_CGNAME_H
#define EBTOP_CGNAME_H

#include <stddef.h>

enum cg_kind { CG_SERVICE, CG_SCOPE, CG_SESSION, CG_CONTAINER, CG_POD, CG_SLICE, CG_OTHER };

const char *cg_kind_name(enum cg_kind k);
/* path: below the cgroup2 mount, "/a/b". */
enum cg_kind cg_name(const char *path, char *name, size_t len);
/* The slice a path is in (its nearest ancestor or itself ending in
 * ".slice"), into out; "/" when none. */
void cg_slice(const char *path, char *out, size_t len);

#endif

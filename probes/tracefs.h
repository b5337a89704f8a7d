/* Classic tracepoints (the execve syscall ones) are attached by id, which
 * libbpf reads from tracefs. Hosts often do not mount it; ebtop then mounts
 * it in a private mount namespace of its own, invisible to the host and
 * gone when ebtop exits. */
#ifndef EBTOP_TRACEFS_H
#define EBTOP_TRACEFS_H

#include <stddef.h>

/* 0 when tracefs events are readable, else -errno with why filled. */
int tracefs_ensure(char *why, size_t len);

#endif

/* Small /proc readers for what BPF could not tell us (a task that has not
 * been switched out yet). A pid that just exited yields -ENOENT. */
#ifndef EBTOP_PROCFS_H
#define EBTOP_PROCFS_H

#include <stddef.h>
#include <stdint.h>

/* The process's cgroup v2 path below the cgroup2 mount. */
int procfs_cgroup(uint32_t pid, char *buf, size_t len);
/* A thread's se.sum_exec_runtime (its first schedstat field): the CPU
 * time the scheduler has charged it, up to its last tick or switch. */
int procfs_runtime(uint32_t tgid, uint32_t tid, uint64_t *ns);
/* The process's comm as the kernel has it now (at most 15 bytes). */
int procfs_comm(uint32_t pid, char *buf, size_t len);
/* The pid the process knows itself by (NSpid's last, in its own pid
 * namespace) and its file system uid (Uid's last). */
int procfs_ids(uint32_t pid, uint32_t *nspid, uint32_t *fsuid);
/* True if a process with this tgid exists now. */
int procfs_exists(uint32_t pid);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of the sys probe: syscall counts per syscall number
 * and per process. */
#ifndef EBTOP_SYS_H
#define EBTOP_SYS_H

#define SYS_NR_MAX 1024     /* syscall numbers counted: 0 .. SYS_NR_MAX-1 */
#define SYS_MAX_PROCS 65536

/* per-CPU, index = syscall nr */
struct sys_stat {
	__u64 count;
	__u64 errors;
	__u64 lat_ns;       /* sum; only with latency enabled */
};
/* lat_max (per-CPU array, index = nr, __u64): the longest call since
 * userspace last cleared it; kept apart so clearing it cannot race a count. */

/* per-CPU hash value, key = tgid */
struct sys_proc {
	__u64 count;
	__u64 errors;
	__u32 exited;       /* the whole process has exited */
	__u32 epoch;        /* of this CPU's last write (bpf/changed.bpf.h) */
	__u64 comm_ns;      /* when this CPU's slot set comm: the latest wins */
	char comm[16];      /* at the first syscall seen, and after each exec */
};

#endif

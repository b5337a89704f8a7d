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

/* per-CPU array of one: the process whose calls this CPU counts here,
 * in a plain add, until another process calls on it; its counts then go
 * into its sys_procs entry (probes/sys.c reads both, see there). */
struct sys_last {
	/* odd while the program moves the counts; the stores around it are
	 * kept in order by the compiler and, on x86, by the CPU (arm64 would
	 * want release stores here and acquire loads in the reader) */
	__u32 seq;
	__u32 tgid;         /* 0: none */
	__u64 start;        /* its start time: a reused tgid is another process */
	__u64 count;
	__u64 errors;
};

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

/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel/user contract of the exec probe: one ring buffer record per exec,
 * successful or failed. Records are variable length: the header, then
 * args_len bytes of NUL-separated argv. */
#ifndef EBTOP_EXEC_H
#define EBTOP_EXEC_H

#define EXEC_ARGS_MAX 4096      /* bytes of argv kept; a power of two */
#define EXEC_MAX_ARGC 128       /* argv entries read for a failed exec */
#define EXEC_FILENAME_MAX 256
#define EXEC_COMM_LEN 16

struct exec_event {
	__u64 ts_ns;            /* bpf_ktime_get_ns (CLOCK_MONOTONIC) */
	__u32 pid;              /* tgid */
	__u32 ppid;
	__u32 uid;
	__s32 ret;              /* 0, or -errno of a failed exec */
	__u32 args_len;
	__u32 truncated;        /* argv was longer than EXEC_ARGS_MAX or argc */
	char comm[EXEC_COMM_LEN];
	char filename[EXEC_FILENAME_MAX];
	char args[EXEC_ARGS_MAX];
};

/* What a failed exec needs from its syscall entry: its user pointers. */
struct exec_pending {
	__u64 filename;
	__u64 argv;
};

#endif

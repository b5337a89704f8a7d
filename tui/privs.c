/* Capabilities: say exactly which are missing before anything starts, and
 * give up every one the running tool no longer needs once the probes are
 * loaded and attached (the tracefs mount, CAP_SYS_ADMIN, is done by then);
 * two stay permitted for the stack pane's symbols, effective only around
 * the opens that need them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "tui/privs.h"

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capget, &h, d);
}

static bool has(const struct __user_cap_data_struct d[2], int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

int privs_check(char *why, size_t len)
{
	struct __user_cap_data_struct d[2] = { 0 };
	bool bpf, perfmon;

	if (caps_get(d))
		return 0; /* cannot tell: let loading say */
	/* CAP_SYS_ADMIN stands in for both on every kernel */
	bpf = has(d, CAP_BPF) || has(d, CAP_SYS_ADMIN);
	perfmon = has(d, CAP_PERFMON) || has(d, CAP_SYS_ADMIN);
	if (bpf && perfmon)
		return 0;
	snprintf(why, len, "needs root or CAP_BPF+CAP_PERFMON: missing %s%s%s",
		 bpf ? "" : "CAP_BPF", !bpf && !perfmon ? " and " : "", perfmon ? "" : "CAP_PERFMON");
	return -EPERM;
}

static uint32_t mask_of(const int *caps, size_t n, int word)
{
	uint32_t mask = 0;

	for (size_t k = 0; k < n; k++)
		if (caps[k] / 32 == word)
			mask |= 1u << (caps[k] % 32);
	return mask;
}

int privs_drop(void)
{
	/* What runs after start: lazy attach of the sys programs, map
	 * reads and writes, iterators. Nothing else is kept: no file access
	 * override, no kill, no setuid, no mounts. */
	static const int keep[] = { CAP_BPF, CAP_PERFMON };
	/* Permitted, not effective: raised for one open at a time by the
	 * stack pane's symbols (probes/usyms.c), to read a container's
	 * binaries through /proc/PID/root and a deleted one through
	 * /proc/PID/map_files. A process that holds CAP_BPF and CAP_PERFMON
	 * can read all kernel memory already: these add little to that. */
	static const int on_call[] = { CAP_SYS_PTRACE, CAP_CHECKPOINT_RESTORE };
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (caps_get(d))
		return -errno;
	for (int i = 0; i < 2; i++) {
		uint32_t mask = mask_of(keep, sizeof(keep) / sizeof(keep[0]), i);

		d[i].effective &= mask;
		d[i].permitted &= mask | mask_of(on_call, sizeof(on_call) / sizeof(on_call[0]), i);
		d[i].inheritable = 0;
	}
	if (syscall(SYS_capset, &h, d))
		return -errno;
	/* and nothing can be regained through exec or setuid binaries */
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ? -errno : 0;
}

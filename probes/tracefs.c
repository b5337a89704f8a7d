#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include "probes/note.h"
#include "probes/tracefs.h"

static int state = 1; /* 1 unknown, 0 ok, <0 -errno */
static char reason[NOTE_LEN];

static int events_readable(void)
{
	return access("/sys/kernel/tracing/events/syscalls", R_OK) == 0 ||
	       access("/sys/kernel/debug/tracing/events/syscalls", R_OK) == 0;
}

int tracefs_ensure(char *why, size_t len)
{
	if (state == 1) {
		state = 0;
		if (!events_readable()) {
			/* Private: nothing we mount propagates back to the host.
			 * The mount holding /sys is the one a mount there would
			 * propagate through; in a chroot "/" may be no mount at
			 * all (EINVAL), and where /sys is none, "/" holds it. */
			if (unshare(CLONE_NEWNS) ||
			    (mount(NULL, "/sys", NULL, MS_REC | MS_PRIVATE, NULL) &&
			     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) ||
			    mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL)) {
				state = -errno;
				snprintf(reason, sizeof(reason), "cannot mount tracefs privately: %s",
					 strerror(errno));
			} else if (!events_readable()) {
				state = -ENOENT;
				snprintf(reason, sizeof(reason),
					 "kernel has no syscall tracepoints (CONFIG_FTRACE_SYSCALLS)");
			}
		}
	}
	if (state < 0)
		snprintf(why, len, "%s", reason);
	return state;
}

#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "probes/probe.h"
#include "probes/procfs.h"
#include "probes/symfiles.h"
#include "probes/usyms.h"

#if EBTOP_STATIC
/* libdw's debuginfod client dlopens libdebuginfod when DEBUGINFOD_URLS is
 * set, from a constructor; in a static binary that would load a shared
 * library built for another libc. The static link sends its dlopen here
 * (-Wl,--wrap=dlopen): no debuginfod, and no network lookups by a root
 * process, debug files on disk still found. */
void *__wrap_dlopen(const char *file, int mode);
void *__wrap_dlopen(const char *file, int mode)
{
	(void)file, (void)mode;
	return NULL;
}
#endif

struct proc_syms {
	uint32_t pid;
	uint64_t used;   /* the usyms clock at its last lookup; 0: slot empty */
	Dwfl *dwfl;      /* NULL: could not be read (gone, or no access) */
	struct perfmap jit;       /* its JIT's perf map, if it writes one */
	off_t jit_size;           /* the map's size when read */
	struct timespec jit_mtime;
	uint64_t jit_checked;     /* the refresh the map was last looked at */
};

struct usyms {
	struct proc_syms procs[USYMS_PROCS];
	uint64_t clock;
	uint64_t refresh;         /* usyms_begin's count */
	int budget;      /* processes that may still be read in this refresh */
};

/* Another process's files are opened with what ebtop keeps permitted but
 * not effective after start (tui/privs.c): CAP_SYS_PTRACE to go through
 * /proc/PID/root, CAP_CHECKPOINT_RESTORE to open /proc/PID/map_files.
 * Each is raised for the open alone; where it is not permitted, the open
 * fails as it would have. */
#define CAP_BIT(c) (1ull << (c))

static void caps_effective(uint64_t caps, bool on)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return;
	for (int i = 0; i < 2; i++) {
		uint32_t bits = (uint32_t)(caps >> (32 * i));

		d[i].effective = on ? d[i].effective | (bits & d[i].permitted) : d[i].effective & ~bits;
	}
	syscall(SYS_capset, &h, d);
}

/* A regular file as the process sees it: path resolved under its root, as
 * if that were /, so a container's own binary is found, and its links
 * cannot lead out of it. resolve: more RESOLVE_ flags. -1 if none. */
static int open_in_root(uint32_t pid, const char *path, uint64_t resolve, struct stat *st)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve,
	};
	char root[32];
	int dir, fd;

	snprintf(root, sizeof(root), "/proc/%u/root", pid);
	caps_effective(CAP_BIT(CAP_SYS_PTRACE), true);
	dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	caps_effective(CAP_BIT(CAP_SYS_PTRACE), false);
	if (dir < 0)
		return -1;
	fd = (int)syscall(SYS_openat2, dir, path, &how, sizeof(how));
	close(dir);
	if (fd >= 0 && (fstat(fd, st) || !S_ISREG(st->st_mode))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* A binary whose file is gone (deleted, or a memfd: "/memfd:x (deleted)")
 * is still there through its mapping, /proc/PID/map_files/START-END. */
static int open_mapped(uint32_t pid, const char *name)
{
	char path[64], *maps;
	uint64_t start, end;
	size_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	maps = probe_read_max(fd, 64u << 20, &len);
	close(fd);
	fd = -1;
	if (maps && maps_find(maps, len, name, &start, &end) == 0) {
		snprintf(path, sizeof(path), "/proc/%u/map_files/%" PRIx64 "-%" PRIx64, pid, start, end);
		/* another's mappings: the ptrace check as for its root, too */
		caps_effective(CAP_BIT(CAP_SYS_PTRACE) | CAP_BIT(CAP_CHECKPOINT_RESTORE), true);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		caps_effective(CAP_BIT(CAP_SYS_PTRACE) | CAP_BIT(CAP_CHECKPOINT_RESTORE), false);
	}
	free(maps);
	return fd;
}

static bool gone(const char *name)
{
	size_t n = strlen(name);

	return n > 10 && !strcmp(name + n - 10, " (deleted)");
}

/* libdwfl's find_elf with the pid in the module's userdata (see report):
 * the file the process has mapped, through its own root or its mapping;
 * libdwfl's way where that cannot be opened. */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr base,
		    char **file_name, Elf **elfp)
{
	uint32_t pid = (uint32_t)(uintptr_t)*userdata;
	struct stat st;
	int fd = -1;

	if (pid && name[0] == '/')
		fd = gone(name) ? open_mapped(pid, name) : open_in_root(pid, name, 0, &st);
	if (fd < 0)
		return dwfl_linux_proc_find_elf(mod, userdata, name, base, file_name, elfp);
	if (!(*file_name = strdup(name))) {
		close(fd);
		return -1;
	}
	return fd; /* libdwfl makes the Elf of it */
}

static const Dwfl_Callbacks callbacks = {
	.find_elf = find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

struct usyms *usyms_new(void)
{
	return calloc(1, sizeof(struct usyms));
}

static void proc_clear(struct proc_syms *p)
{
	if (p->dwfl)
		dwfl_end(p->dwfl);
	perfmap_free(&p->jit);
}

void usyms_free(struct usyms *u)
{
	if (!u)
		return;
	for (int i = 0; i < USYMS_PROCS; i++)
		proc_clear(&u->procs[i]);
	free(u);
}

void usyms_begin(struct usyms *u)
{
	u->budget = USYMS_NEW_PER_CALL;
	u->refresh++;
}

static int tag_pid(Dwfl_Module *m, void **userdata, const char *name, Dwarf_Addr base, void *pid)
{
	(void)m, (void)name, (void)base;
	*userdata = pid;
	return DWARF_CB_OK;
}

static Dwfl *report(uint32_t pid)
{
	Dwfl *d = dwfl_begin(&callbacks);

	if (d && (dwfl_linux_proc_report(d, (pid_t)pid) || dwfl_report_end(d, NULL, NULL))) {
		dwfl_end(d);
		return NULL;
	}
	/* each module's file is opened when first needed, by find_elf */
	if (d)
		dwfl_getmodules(d, tag_pid, (void *)(uintptr_t)pid, 0);
	return d;
}

/* Its JIT's /tmp/perf-PID.map (PID as the process knows itself, in its own
 * /tmp), read again when it changed, looked at once a refresh. Taken only
 * if the process's owner or root owns it (in /tmp anyone could have left
 * one under another's pid) and reached through no link. */
static void jit_refresh(struct usyms *u, struct proc_syms *p)
{
	uint32_t nspid, uid;
	char path[64];
	struct stat st;
	size_t len;
	char *text;
	int fd;

	if (p->jit_checked == u->refresh)
		return;
	p->jit_checked = u->refresh;
	if (procfs_ids(p->pid, &nspid, &uid))
		return;
	snprintf(path, sizeof(path), "/tmp/perf-%u.map", nspid);
	if ((fd = open_in_root(p->pid, path, RESOLVE_NO_SYMLINKS, &st)) < 0)
		return;
	if ((st.st_uid != uid && st.st_uid != 0) || st.st_size > PERFMAP_FILE_MAX ||
	    (st.st_size == p->jit_size && st.st_mtim.tv_sec == p->jit_mtime.tv_sec &&
	     st.st_mtim.tv_nsec == p->jit_mtime.tv_nsec)) {
		close(fd);
		return;
	}
	text = probe_read_max(fd, PERFMAP_FILE_MAX, &len);
	close(fd);
	if (!text)
		return;
	perfmap_free(&p->jit);
	if (perfmap_parse(text, len, &p->jit) == 0) {
		p->jit_size = st.st_size;
		p->jit_mtime = st.st_mtim;
	}
	free(text);
}

/* pid's slot, read now if it has none and the budget allows; NULL if not. */
static struct proc_syms *proc_of(struct usyms *u, uint32_t pid)
{
	struct proc_syms *victim = &u->procs[0];

	for (int i = 0; i < USYMS_PROCS; i++) {
		struct proc_syms *p = &u->procs[i];

		if (p->used && p->pid == pid) {
			p->used = ++u->clock;
			return p;
		}
		if (p->used < victim->used)
			victim = p;
	}
	if (u->budget <= 0)
		return NULL;
	u->budget--;
	proc_clear(victim);
	*victim = (struct proc_syms){ .pid = pid, .used = ++u->clock, .dwfl = report(pid), .jit_size = -1 };
	return victim;
}

enum usym_kind usyms_name(struct usyms *u, uint32_t pid, uint64_t addr, char *buf, size_t len)
{
	struct proc_syms *p = proc_of(u, pid);
	Dwfl_Module *m = p && p->dwfl ? dwfl_addrmodule(p->dwfl, addr) : NULL;
	const char *name, *slash;
	Dwarf_Addr start = 0;

	if (!m && p) { /* not in a file: JIT code, if its perf map names it */
		jit_refresh(u, p);
		if ((name = perfmap_lookup(&p->jit, addr))) {
			snprintf(buf, len, "%s", name);
			return USYM_NAMED;
		}
	}
	if (!m) {
		snprintf(buf, len, "[unknown]");
		return USYM_UNKNOWN;
	}
	name = dwfl_module_addrname(m, addr);
	if (name) {
		snprintf(buf, len, "%s", name);
		return USYM_NAMED;
	}
	name = dwfl_module_info(m, NULL, &start, NULL, NULL, NULL, NULL, NULL);
	slash = name ? strrchr(name, '/') : NULL;
	snprintf(buf, len, "%s+0x%" PRIx64, slash ? slash + 1 : name ? name : "?", addr - start);
	return USYM_OFFSET;
}

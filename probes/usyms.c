#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "probes/probe.h"
#include "probes/perfmap.h"
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

/* A perf map: a regular file its owner or root owns; in /tmp anyone
 * could have left one under another's pid, or a link to a file ebtop
 * should not show. -1 if not. */
static int open_perfmap(const char *path, uint32_t uid, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0 && (fstat(fd, st) || !S_ISREG(st->st_mode) || (st->st_uid != uid && st->st_uid != 0) ||
			st->st_size > PERFMAP_FILE_MAX)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
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

static Dwfl *report(uint32_t pid)
{
	Dwfl *d = dwfl_begin(&callbacks);

	if (d && (dwfl_linux_proc_report(d, (pid_t)pid) || dwfl_report_end(d, NULL, NULL))) {
		dwfl_end(d);
		return NULL;
	}
	return d;
}

/* The last field of a /proc/PID/status line ("NSpid:\t4242\t7"), or 0. */
static uint32_t status_last(const char *status, const char *key)
{
	const char *line = strstr(status, key), *end;
	unsigned long v = 0;

	if (!line)
		return 0;
	end = strchr(line, '\n');
	for (const char *p = line + strlen(key); *p && (!end || p < end); p++)
		if (p[-1] == '\t' || p[-1] == ' ')
			v = strtoul(p, NULL, 10);
	return (uint32_t)v;
}

/* Its JIT's /tmp/perf-PID.map, read again when it changed, looked at once
 * a refresh. Only for a process of ebtop's own pid namespace: one of
 * another would have written it in its own /tmp, under its own pid, and
 * ebtop, holding no capability to look into another mount namespace
 * after start, does not read /proc/PID/root. */
static void jit_refresh(struct usyms *u, struct proc_syms *p)
{
	char path[64], status[4096];
	struct stat st;
	size_t len;
	ssize_t n;
	char *text;
	int fd;

	if (p->jit_checked == u->refresh)
		return;
	p->jit_checked = u->refresh;
	snprintf(path, sizeof(path), "/proc/%u/status", p->pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, status, sizeof(status) - 1);
	close(fd);
	if (n <= 0)
		return;
	status[n] = '\0';
	if (status_last(status, "NSpid:") != p->pid)
		return;
	snprintf(path, sizeof(path), "/tmp/perf-%u.map", p->pid);
	/* the owner may be its file system uid, the last of Uid's four */
	if ((fd = open_perfmap(path, status_last(status, "Uid:"), &st)) < 0)
		return;
	if (st.st_size == p->jit_size && st.st_mtim.tv_sec == p->jit_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == p->jit_mtime.tv_nsec) {
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

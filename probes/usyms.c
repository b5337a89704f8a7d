#include <elfutils/libdwfl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
};

struct usyms {
	struct proc_syms procs[USYMS_PROCS];
	uint64_t clock;
	int budget;      /* processes that may still be read in this refresh */
};

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

struct usyms *usyms_new(void)
{
	return calloc(1, sizeof(struct usyms));
}

void usyms_free(struct usyms *u)
{
	if (!u)
		return;
	for (int i = 0; i < USYMS_PROCS; i++)
		if (u->procs[i].dwfl)
			dwfl_end(u->procs[i].dwfl);
	free(u);
}

void usyms_begin(struct usyms *u)
{
	u->budget = USYMS_NEW_PER_CALL;
}

static Dwfl *report(uint32_t pid)
{
	Dwfl *d = dwfl_begin(&callbacks);

	if (d && (dwfl_linux_proc_report(d, (pid_t)pid) || dwfl_report_end(d, NULL, NULL))) {
		dwfl_end(d);
		d = NULL;
	}
	return d;
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
	if (victim->dwfl)
		dwfl_end(victim->dwfl);
	*victim = (struct proc_syms){ .pid = pid, .used = ++u->clock, .dwfl = report(pid) };
	return victim;
}

enum usym_kind usyms_name(struct usyms *u, uint32_t pid, uint64_t addr, char *buf, size_t len)
{
	struct proc_syms *p = proc_of(u, pid);
	Dwfl_Module *m = p && p->dwfl ? dwfl_addrmodule(p->dwfl, addr) : NULL;
	const char *name, *slash;
	Dwarf_Addr start = 0;

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

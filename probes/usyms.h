/* User addresses of processes to names, with elfutils' libdwfl over
 * /proc/PID/maps: ELF symbol tables, .gnu_debugdata, separate debuginfo
 * by build-id under /usr/lib/debug. One Dwfl per process, made when it is
 * first asked about (its mappings read then and kept after it exits); past
 * USYMS_PROCS the least recently used goes, and at most USYMS_NEW_PER_CALL
 * processes are read per usyms_begin, so a refresh's cost stays bounded. */
#ifndef EBTOP_USYMS_H
#define EBTOP_USYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USYMS_PROCS 64
#define USYMS_NEW_PER_CALL 16

struct usyms;

struct usyms *usyms_new(void);
void usyms_free(struct usyms *u);
/* A refresh's lookups start: the budget of processes to read is renewed. */
void usyms_begin(struct usyms *u);
/* The name of addr in pid, into buf: the function, or "module+0xoffset"
 * where the module has no symbol there (stripped), or "[unknown]" where
 * no mapping is known (not read yet, or the process had gone). */
enum usym_kind { USYM_NAMED, USYM_OFFSET, USYM_UNKNOWN };
enum usym_kind usyms_name(struct usyms *u, uint32_t pid, uint64_t addr, char *buf, size_t len);

#endif

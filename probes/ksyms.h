/* Kernel addresses to names, from /proc/kallsyms (modules too): a sorted
 * table searched by address. The kernel shows addresses to whoever opened
 * the file with CAP_SYSLOG, judged at open: ebtop opens it before it drops
 * its privileges and reads it when a kernel frame first needs a name. */
#ifndef EBTOP_KSYMS_H
#define EBTOP_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ksyms;

/* From an open kallsyms (the fd is closed); NULL with errno set when it
 * cannot be read or names no address (kptr_restrict hid them). */
struct ksyms *ksyms_read(int fd);
void ksyms_free(struct ksyms *k);
/* "name" or "name [module]" for the symbol at or below addr; false when
 * addr lies below every symbol. */
bool ksyms_name(const struct ksyms *k, uint64_t addr, char *buf, size_t len);

#endif

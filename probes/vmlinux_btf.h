/* The kernel's BTF parsed once for every object libbpf loads (see the .c):
 * this module defines btf__load_vmlinux_btf and btf__free, which libbpf
 * calls. */
#ifndef EBTOP_VMLINUX_BTF_H
#define EBTOP_VMLINUX_BTF_H

#include <stddef.h>

/* Free the lent btf once the probes are loaded; a later load parses the
 * file again. */
void vmlinux_btf_release(void);
/* How many times the parsed btf was lent (tests). */
size_t vmlinux_btf_served(void);

#endif

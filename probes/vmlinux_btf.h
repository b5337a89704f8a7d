/* The kernel's BTF read once for every object libbpf loads (see the .c):
 * this module defines btf__load_vmlinux_btf, which libbpf calls. */
#ifndef EBTOP_VMLINUX_BTF_H
#define EBTOP_VMLINUX_BTF_H

#include <stddef.h>

/* Drop the kept bytes once the probes are loaded; a later load keeps them
 * again. */
void vmlinux_btf_release(void);
/* How many btf objects were handed out from the kept bytes (tests). */
size_t vmlinux_btf_served(void);

#endif

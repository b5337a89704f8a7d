/* Capabilities ebtop needs, checked up front and trimmed after start. */
#ifndef EBTOP_PRIVS_H
#define EBTOP_PRIVS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 0, or -EPERM with "needs root or CAP_BPF+CAP_PERFMON: missing ..." in why. */
int privs_check(char *why, size_t len);
/* Keep only CAP_BPF and CAP_PERFMON; set no_new_privs. */
int privs_drop(void);

#endif

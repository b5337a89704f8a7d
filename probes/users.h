/* User names for uids, from /etc/passwd itself: no NSS, so no daemon is
 * asked and no module loaded into a root process. Read once, again only
 * when the file changes. */
#ifndef EBTOP_USERS_H
#define EBTOP_USERS_H

#include <stddef.h>
#include <stdint.h>

struct snapshot;

/* The name of uid, or its number when the file does not name it. */
void users_name(uint32_t uid, char *buf, size_t len);
/* Give the rows of a refresh their names (cpu rows, new execs); looks
 * at the file's mtime once. */
void users_fill(struct snapshot *s);
/* Read path instead of /etc/passwd (tests). */
void users_set_file(const char *path);
void users_free(void);

#endif

#ifndef EBTOP_SNAPFILE_H
#define EBTOP_SNAPFILE_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* Write doc to a new file in dir (NULL: current directory) named
 * ebtop-HOST-YYYYmmdd-HHMMSS[-N].json: mode 0600, never overwriting, written
 * to a temporary name and linked into place whole. Returns 0 and the path,
 * or -errno. */
int snapfile_write(const char *dir, const cJSON *doc, char *path, size_t len);

#endif

/* The text files user frames are named from besides ELF files, both
 * written by or for the process observed, so untrusted: its /proc/PID/maps
 * (where a deleted or memfd binary is mapped, to open it through
 * /proc/PID/map_files) and the perf map a JIT writes, /tmp/perf-PID.map
 * (Node --perf-basic-prof, Python 3.12 -X perf, Java agents), naming code
 * that is in no file: one "START SIZE name" line per function, START and
 * SIZE in hex. */
#ifndef EBTOP_SYMFILES_H
#define EBTOP_SYMFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PERFMAP_MAX (1u << 20)   /* functions kept of one map */
#define PERFMAP_NAME_MAX 160     /* bytes of a name kept, as STACK_FRAME_MAX */
#define PERFMAP_FILE_MAX (64u << 20) /* bytes read of one map */

/* The first mapping of path in a maps text (path as the kernel writes
 * it, " (deleted)" included): its start and end. 0, or -ENOENT. */
int maps_find(const char *text, size_t len, const char *path, uint64_t *start, uint64_t *end);

struct perfmap_sym {
	uint64_t start, size;
	uint32_t name;           /* offset into names */
	uint32_t line;           /* a later line wins where two overlap */
};

struct perfmap {
	struct perfmap_sym *sym; /* by start */
	size_t n;
	char *names;
};

/* Parse a perf map's text into m: lines that do not parse, of size 0 or
 * that wrap around are skipped; control bytes in names become '?'. 0, or
 * -ENOMEM (m empty). */
int perfmap_parse(const char *text, size_t len, struct perfmap *m);
/* The function addr is in, or NULL. */
const char *perfmap_lookup(const struct perfmap *m, uint64_t addr);
void perfmap_free(struct perfmap *m);

#endif

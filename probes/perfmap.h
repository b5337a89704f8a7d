/* The perf map a JIT writes, /tmp/perf-PID.map (Node --perf-basic-prof,
 * Python 3.12 -X perf, Java agents), names user frames that are in no
 * file: one "START SIZE name" line per function, START and SIZE in hex.
 * The process observed writes it, so it is untrusted. */
#ifndef EBTOP_PERFMAP_H
#define EBTOP_PERFMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PERFMAP_MAX (1u << 20)   /* functions kept of one map */
#define PERFMAP_NAME_MAX 160     /* bytes of a name kept, as STACK_FRAME_MAX */
#define PERFMAP_FILE_MAX (64u << 20) /* bytes read of one map */

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
